"""The optional chat-model agent: the flows' actions as tools over the same ports, guarded.

Pure logic: the gateway gives it a LangChain chat model, the turn, the bound ports and the
conversation so far; it gives back an outcome, or None and a reason to answer offline.
"""

from flows.agent.errors import AgentError
from flows.agent.loop import AgentConfig, AgentResult, ChatModel, Usage, run_agent
from flows.agent.tools import Tool, tools_for

__all__ = [
    "AgentConfig",
    "AgentError",
    "AgentResult",
    "ChatModel",
    "Tool",
    "Usage",
    "run_agent",
    "tools_for",
]
