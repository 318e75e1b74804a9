"""The gateway's small error hierarchy."""


class SwitchboardError(Exception):
    """Base of every error the gateway raises on purpose."""


class ConfigError(SwitchboardError):
    """A setting or a configuration file is wrong; the message names the field."""


class NotFound(SwitchboardError):
    """A referenced business, channel or record does not exist (for this business)."""


class LockTimeout(SwitchboardError):
    """A conversation lock could not be taken in time; the job is retried."""


class AlreadyProcessed(SwitchboardError):
    """Another worker committed this message first; this attempt's work is rolled back."""
