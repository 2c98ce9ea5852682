"""SQLAlchemy 2 typed models, a module per capability. Schema changes go through Alembic migrations in db/migrations.

Every model is re-exported here, so `from db.models import X` works for all of them, and importing this package
registers every table on Base.metadata (Alembic's env.py relies on that).
"""

# In the order the tables were first declared (not sorted), so Base.metadata.tables keeps its order.
from db.models.base import NAMING_CONVENTION, Base, UTCDateTime, utcnow  # noqa: I001
from db.models.people import Membership, Person, Role, Team
from db.models.signin import AuthSession, KnownDevice, SignInAttempt
from db.models.audit import AuditEvent, SecurityEvent
from db.models.requests import DemarcationVersion, HelpRequest, RejudgeQueue, RequestChange, RequestTopic
from db.models.alerts import Alert, AlertEvent, AlertStatus, Snooze
from db.models.messages import Notification
from db.models.operations import JobRun
from db.models.training import Training, TrainingRecord
from db.models.money import AllowanceAgreement, FundEntry, Payment
from db.models.checkins import (
    OPEN_CHECKIN,
    CalendarFeed,
    Checkin,
    CheckinNote,
    CheckinStatus,
    WellbeingAnswer,
    WellbeingPreference,
)
from db.models.checkup import CheckupInvite, CheckupParticipant, CheckupRound, CheckupTally

__all__ = [
    "NAMING_CONVENTION",
    "Base",
    "UTCDateTime",
    "utcnow",
    "Membership",
    "Person",
    "Role",
    "Team",
    "AuthSession",
    "KnownDevice",
    "SignInAttempt",
    "AuditEvent",
    "SecurityEvent",
    "DemarcationVersion",
    "HelpRequest",
    "RejudgeQueue",
    "RequestChange",
    "RequestTopic",
    "Alert",
    "AlertEvent",
    "AlertStatus",
    "Snooze",
    "Notification",
    "JobRun",
    "Training",
    "TrainingRecord",
    "AllowanceAgreement",
    "FundEntry",
    "Payment",
    "OPEN_CHECKIN",
    "CalendarFeed",
    "Checkin",
    "CheckinNote",
    "CheckinStatus",
    "WellbeingAnswer",
    "WellbeingPreference",
    "CheckupInvite",
    "CheckupParticipant",
    "CheckupTally",
    "CheckupRound",
]
