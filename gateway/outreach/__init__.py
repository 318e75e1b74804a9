"""Reminders and proactive outreach: every message a row, every row an RQ job, policy at send time.

What other parts call:
- `reminders.sync_reminders(session, kind, record_id)` after a booking is made, moved or
  cancelled, then `reminders.schedule_rows(rt, ids)` once the transaction is committed;
- `reminders.schedule_proactive(...)` for one-off messages (a dental recall, a follow-up);
- `replies.handle_reminder_reply(session, conv, message)` from the processing path, for the
  confirm / reschedule / cancel buttons of a reminder;
- `segments.refresh_segments(session, contact_id, now)` after events that change behaviour;
- `reconcile.reconcile_if_due(rt)` periodically (the worker's sweep thread does it).
"""
