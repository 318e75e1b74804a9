"""The console's face of data rights: a contact's consent state, export and erase buttons.

The buttons sit on the conversation page (`console/conversation.html` calls `contact_rights`).
Export is open to every staff member of the business; erasure to owners only, with a typed
confirmation. Another business's contact is a 404.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, current_app, redirect, request, url_for

from gateway.console import security
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime, runtime_of
from gateway.rights import service
from gateway.store import consent
from gateway.store.models import Business, Contact, StaffUser

bp = Blueprint("rights_console", __name__, url_prefix="/console/contacts")
MAX_ID = 2**31 - 1


def _rt() -> Runtime:
    return runtime_of(current_app)


def _staff_and_contact(contact_id: int) -> tuple[StaffUser, str]:
    """The signed-in staff member and the slug of their business, if the contact is theirs."""
    who = security.signed_in()
    if who is None:
        abort(401)
    if contact_id > MAX_ID:
        abort(404, "no such contact")
    with session_scope(_rt().engine) as db:
        staff = db.get(StaffUser, who.staff_id)
        business = db.get(Business, who.business_id)
        contact = db.get(Contact, contact_id)
        if staff is None or business is None or not security.is_current(who, staff):
            abort(401)
        if contact is None or contact.business_id != business.id:
            abort(404, "no such contact")
        return staff, business.slug


@bp.get("/<int:contact_id>/export")
def export(contact_id: int) -> Any:
    """Download the contact's export document."""
    _, slug = _staff_and_contact(contact_id)
    doc = service.export(_rt(), slug, str(contact_id), via="console")
    body = json.dumps(doc, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="contact-{contact_id}.json"'},
    )


@bp.post("/<int:contact_id>/erase")
def erase(contact_id: int) -> Any:
    """Erase the contact (owners only, confirmed by typing ERASE)."""
    security.check_csrf()
    staff, slug = _staff_and_contact(contact_id)
    if staff.role != "owner":
        abort(403, "only an owner can erase a contact")
    if (request.form.get("confirm") or "").strip().upper() != "ERASE":
        abort(400, "type ERASE to confirm")
    service.erase(_rt(), slug, str(contact_id), via=f"console:{staff.id}")
    return redirect(url_for("console.inbox"))


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"contact_rights": contact_rights}


def contact_rights(business_id: int, contact_id: int) -> list[dict[str, Any]]:
    """The consent state of a contact, for the conversation page."""
    with session_scope(_rt().engine) as db:
        return [
            {"network": n, "purpose": p, "granted": g}
            for (n, p), g in sorted(consent.current(db, business_id, contact_id).items())
        ]
