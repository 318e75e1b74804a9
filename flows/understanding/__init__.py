"""Understanding: language, intent, entities, sentiment, urgency and tone of one message."""

from flows.understanding.core import TEMPLATES, Understander, UnderstandingError, UnknownTemplate
from flows.understanding.rules import fact_key_for, forget_target
from flows.understanding.types import INTENT_THRESHOLD, UNKNOWN_INTENT, Annotations, Context, Entity

__all__ = [
    "INTENT_THRESHOLD",
    "TEMPLATES",
    "UNKNOWN_INTENT",
    "Annotations",
    "Context",
    "Entity",
    "Understander",
    "UnderstandingError",
    "UnknownTemplate",
    "fact_key_for",
    "forget_target",
]
