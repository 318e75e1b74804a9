"""Staff accounts: argon2id password hashes (memory-hard), roles owner and agent, sign-in."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Collection
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlmodel import Session, col, select

from gateway.core.errors import ConfigError, NotFound
from gateway.store.models import Business, Conversation, ConversationState, Handoff, StaffUser

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


def demo_accounts(
    session: Session, var_dir: Path, slugs: Collection[str]
) -> list[tuple[str, str, str]]:
    """A demo owner account per demo business (`slugs`: those of config/demo.yaml, never a
    business of the user's own file), one password kept under var/ for all of them (so every
    `switchboard run` prints the same); returns (business name, email, password)."""
    path = var_dir / "demo_staff_password"
    if path.exists():
        password = path.read_text().strip()
    else:
        var_dir.mkdir(parents=True, exist_ok=True)
        password = secrets.token_urlsafe(12)
        path.write_text(password)
        path.chmod(0o600)
    out = []
    demo = select(Business).where(col(Business.slug).in_(list(slugs)))
    for business in session.exec(demo.order_by(col(Business.id))).all():
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


def list_staff(session: Session, business: Business | None = None) -> list[tuple[str, StaffUser]]:
    """(business slug, account) of one business or of all, by business and e-mail."""
    query = select(Business.slug, StaffUser).join(
        Business, col(Business.id) == col(StaffUser.business_id)
    )
    if business is not None:
        query = query.where(StaffUser.business_id == business.id)
    rows = session.exec(query.order_by(col(Business.slug), col(StaffUser.email))).all()
    return [(slug, user) for slug, user in rows]


def remove_staff(session: Session, business: Business, email: str) -> StaffUser:
    """Delete an account; the conversations it had taken go back to the waiting queue.

    The last owner of a business cannot be removed: owners are the ones who manage staff.
    """
    email = normalize_email(email)
    user = session.exec(
        select(StaffUser).where(StaffUser.business_id == business.id, StaffUser.email == email)
    ).first()
    if user is None:
        raise NotFound(f"no staff account {email} in {business.slug}")
    owners = session.exec(
        select(StaffUser.id).where(StaffUser.business_id == business.id, StaffUser.role == "owner")
    ).all()
    if user.role == "owner" and len(owners) == 1:
        raise ConfigError(f"{email} is the only owner of {business.slug}: add another owner first")
    for handoff in session.exec(select(Handoff).where(Handoff.assigned_to == user.id)).all():
        handoff.assigned_to = None
        if handoff.status == "taken":
            handoff.status = "open"
            conv = session.get(Conversation, handoff.conversation_id)
            if conv is not None and conv.state == ConversationState.STAFF:
                conv.state = ConversationState.WAITING
                session.add(conv)
        session.add(handoff)
    session.flush()
    session.delete(user)
    session.flush()
    log.info("staff account removed", extra={"business_id": business.id, "staff_id": user.id})
    return user
