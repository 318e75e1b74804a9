"""The data model (DESIGN.md "Data"): every row that belongs to a business carries business_id.

One module per domain; import the tables from here.
"""

from gateway.store.models.analytics import (
    AbExposure,
    AbTest,
    CsatRating,
    DailyStat,
    DeclinedQuestion,
    RollupMark,
)
from gateway.store.models.base import (
    ConversationState,
    Direction,
    MessageStatus,
    UTCDateTime,
    utcnow,
)
from gateway.store.models.business import (
    Business,
    CannedReply,
    Channel,
    KnowledgeSource,
    StaffUser,
)
from gateway.store.models.conversations import (
    Conversation,
    Handoff,
    Message,
    ScheduledMessage,
    StaffNote,
)
from gateway.store.models.inbox import INBOX_DONE, INBOX_PENDING, InboxEvent
from gateway.store.models.people import (
    ConsentEvent,
    Contact,
    ContactIdentity,
    DataRequest,
    ProfileFact,
)
from gateway.store.models.records import (
    Appointment,
    BookedSlot,
    IntakeCase,
    Lead,
    Listing,
    Matter,
    Reservation,
    Viewing,
)

__all__ = [
    "utcnow",
    "UTCDateTime",
    "ConversationState",
    "Direction",
    "MessageStatus",
    "Business",
    "Channel",
    "StaffUser",
    "CannedReply",
    "KnowledgeSource",
    "Contact",
    "ContactIdentity",
    "ProfileFact",
    "ConsentEvent",
    "DataRequest",
    "Conversation",
    "Message",
    "InboxEvent",
    "INBOX_PENDING",
    "INBOX_DONE",
    "Handoff",
    "StaffNote",
    "ScheduledMessage",
    "Appointment",
    "BookedSlot",
    "Reservation",
    "Lead",
    "Listing",
    "Viewing",
    "Matter",
    "IntakeCase",
    "DailyStat",
    "RollupMark",
    "CsatRating",
    "DeclinedQuestion",
    "AbTest",
    "AbExposure",
]
