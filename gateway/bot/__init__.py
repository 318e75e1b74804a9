"""The bot: the brain that answers a message, escalation rules, and the flows' ports."""
