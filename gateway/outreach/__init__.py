"""Proactive messages (reminders, recalls, follow-ups). Stub on the templates branch: the
outreach branch's real package replaces it at merge."""
