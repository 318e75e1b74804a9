"""Why the chat model could not answer a turn; each one means "the offline engine answers"."""

from __future__ import annotations


class AgentError(Exception):
    """The chat model's turn is abandoned; `reason` is a short word for the logs and analytics."""

    reason = "agent_error"


class ModelFailed(AgentError):
    """The provider answered with an error, or the SDK raised."""

    reason = "model_failed"


class ModelTimeout(AgentError):
    """The model did not answer within the timeout."""

    reason = "timeout"


class BadToolCall(AgentError):
    """Malformed arguments, an unknown tool, or arguments out of range."""

    reason = "bad_tool_call"


class BadReply(AgentError):
    """An empty or oversized reply, or one stating a figure nothing it was given states."""

    reason = "bad_reply"


class BudgetExceeded(AgentError):
    """The conversation spent its calls or tokens, or the turn its tool rounds."""

    reason = "budget"
