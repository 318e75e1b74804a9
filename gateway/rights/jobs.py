"""RQ jobs of the data-rights room (names in gateway.worker.tasks)."""

from __future__ import annotations

from gateway.core.runtime import current_runtime
from gateway.rights import retention, service


def erase_contact(contact_id: int, via: str = "chat") -> dict[str, int]:
    """Finish a confirmed chat erasure once its goodbye has gone: the addresses and the goodbye."""
    return service.erase_by_id(current_runtime(), contact_id, via, audit=False)


def apply_retention() -> int:
    """Blank the messages older than each business's retention."""
    return retention.apply_retention(current_runtime())
