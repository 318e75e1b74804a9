"""Every RQ task name, in one place.

RQ stores a job as the import path of its function, so moving or renaming a task function
would strand the jobs already queued under the old path. Code enqueues only these constants;
`tests/test_architecture.py` checks that each one still resolves to a function, and `LEGACY`
maps the paths used before the move into rooms (issue 11) so jobs queued by an older process
still run after an upgrade.
"""

from __future__ import annotations

PROCESS_INBOUND = "gateway.worker.jobs.process_inbound"
PROCESS_INBOX = "gateway.worker.jobs.process_inbox"
SEND_OUTBOUND = "gateway.worker.jobs.send_outbound"
ANSWER_CALLBACK = "gateway.messaging.provider_jobs.answer_callback"
DOWNLOAD_MEDIA = "gateway.messaging.provider_jobs.download_media"
NOTIFY_HANDOFF = "gateway.handoff.jobs.notify_handoff"
CHECK_HANDOFF_TIMEOUT = "gateway.handoff.jobs.check_handoff_timeout"
INGEST_SOURCE = "gateway.kb.jobs.ingest_source"
REMOVE_SOURCE = "gateway.kb.jobs.remove_source"
ASK = "gateway.kb.jobs.ask"
SEND_SCHEDULED = "gateway.outreach.jobs.send_scheduled"
ERASE_CONTACT = "gateway.rights.jobs.erase_contact"
APPLY_RETENTION = "gateway.rights.jobs.apply_retention"
ROLLUP_BUSINESS = "gateway.analytics.jobs.rollup_business"

ALL = (
    PROCESS_INBOUND,
    PROCESS_INBOX,
    SEND_OUTBOUND,
    ANSWER_CALLBACK,
    DOWNLOAD_MEDIA,
    NOTIFY_HANDOFF,
    CHECK_HANDOFF_TIMEOUT,
    INGEST_SOURCE,
    REMOVE_SOURCE,
    ASK,
    SEND_SCHEDULED,
    ERASE_CONTACT,
    APPLY_RETENTION,
    ROLLUP_BUSINESS,
)

# Paths jobs were queued under before gateway/ had rooms: old path -> current task name.
LEGACY = {
    "gateway.jobs.process_inbound": PROCESS_INBOUND,
    "gateway.jobs.send_outbound": SEND_OUTBOUND,
    "gateway.channel_jobs.answer_callback": ANSWER_CALLBACK,
    "gateway.channel_jobs.download_media": DOWNLOAD_MEDIA,
    "gateway.console_jobs.notify_handoff": NOTIFY_HANDOFF,
    "gateway.console_jobs.check_handoff_timeout": CHECK_HANDOFF_TIMEOUT,
    "gateway.kb_jobs.ingest_source": INGEST_SOURCE,
    "gateway.kb_jobs.remove_source": REMOVE_SOURCE,
    "gateway.kb_jobs.ask": ASK,
}


def current_name(func_name: str) -> str:
    """The task name to run for a stored job's function path (old paths mapped forward)."""
    return LEGACY.get(func_name, func_name)
