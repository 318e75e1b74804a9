"""Staff accounts: argon2id password hashes (memory-hard), roles owner and agent, sign-in."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlmodel import Session, col, select

from gateway.core.errors import ConfigError, NotFound
from gateway.store.models import Business, StaffUser

log = logging.getLogger(__name__)

ROLES = ("owner", "agent")
MIN_PASSWORD = 10
_hasher = PasswordHasher()  # argon2id, 64 MiB, 3 passes: the library's RFC 9106 profile
_DUMMY_HASH = _hasher.hash("not-a-real-password-only-for-timing")


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether the password matches the stored hash (constant work for a mismatch)."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def normalize_email(email: str) -> str:
    """E-mail addresses compare case-insensitively, without surrounding spaces."""
    return email.strip().lower()


def add_staff(
    session: Session, business: Business, email: str, password: str, role: str = "agent"
) -> StaffUser:
    """Create (or reset the password and role of) a staff account of a business."""
    email = normalize_email(email)
    if role not in ROLES:
        raise ConfigError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email or len(email) > 255:
        raise ConfigError("email must be an e-mail address")
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"password must be at least {MIN_PASSWORD} characters")
    user = session.exec(
        select(StaffUser).where(StaffUser.business_id == business.id, StaffUser.email == email)
    ).first()
    if user is None:
        assert business.id is not None
        user = StaffUser(business_id=business.id, email=email, password_hash="", role=role)
    if user.password_hash:  # a reset: every session signed in with the old password ends
        user.session_epoch += 1
    user.password_hash = hash_password(password)
    user.role = role
    session.add(user)
    session.flush()
    log.info("staff account saved", extra={"business_id": business.id, "staff_id": user.id})
    return user


def business_by_slug(session: Session, slug: str) -> Business:
    """The business of that slug, or NotFound."""
    business = session.exec(select(Business).where(Business.slug == slug)).first()
    if business is None:
        raise NotFound(f"no business {slug!r}")
    return business


def authenticate(session: Session, email: str, password: str) -> StaffUser | None:
    """The account these credentials open, if any (an address may exist in two businesses)."""
    users = session.exec(
        select(StaffUser)
        .where(StaffUser.email == normalize_email(email))
        .order_by(col(StaffUser.id))
    ).all()
    if not users:
        verify_password(_DUMMY_HASH, password)  # same cost whether or not the address exists
        return None
    for user in users:
        if verify_password(user.password_hash, password):
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            return user
    return None


def demo_accounts(session: Session, var_dir: Path) -> list[tuple[str, str, str]]:
    """A demo owner account per business, one password kept under var/ for all of them (so
    every `switchboard run` prints the same); returns (business name, email, password)."""
    path = var_dir / "demo_staff_password"
    if path.exists():
        password = path.read_text().strip()
    else:
        var_dir.mkdir(parents=True, exist_ok=True)
        password = secrets.token_urlsafe(12)
        path.write_text(password)
        path.chmod(0o600)
    out = []
    for business in session.exec(select(Business).order_by(col(Business.id))).all():
        email = f"owner@{business.slug}.example"
        user = session.exec(
            select(StaffUser).where(StaffUser.business_id == business.id, StaffUser.email == email)
        ).first()
        if user is None:
            add_staff(session, business, email, password, "owner")
        elif not verify_password(user.password_hash, password):
            continue  # someone changed it: do not print a password that no longer works
        out.append((business.name, email, password))
    return out
