"""The table of kinds in a person's export, as data: each kind's key, sheet title and column headings (msgids, read
by `make translations`), and the reader in readers.py that fills it. A new kind of data is a new row here."""

from __future__ import annotations

from dataclasses import dataclass

from db.models import Alert, CalendarFeed, DemarcationVersion, Snooze
from monitor.i18n import N_
from monitor.privacy.export import readers


@dataclass(frozen=True)
class Kind:
    """One kind of data: its key (JSON and tests), sheet title and column headings (msgids), and its reader."""

    key: str
    title: str
    columns: tuple[tuple[str, str], ...]
    read: readers.Reader


# Headings shared by several kinds.
AT = ("at", N_("When"))
CREATED = ("created_at", N_("Made on"))
NOTE = ("note", N_("Note"))
STATUS = ("status", N_("Status"))
MINUTES = ("minutes", N_("Minutes"))
TOPICS = ("topics", N_("Kinds of problem"))
VALID_FROM = ("valid_from", N_("Valid from"))
KIND = ("kind", N_("Kind"))
AMOUNT = ("amount", N_("Amount (EUR)"))
ACTION = ("action", N_("What happened"))


KINDS: tuple[Kind, ...] = (
    Kind(
        "profile",
        N_("Profile"),
        (
            ("username", N_("Username")),
            ("display_name", N_("Name")),
            ("email", N_("E-mail")),
            ("language", N_("Language")),
            ("active", N_("Active")),
            CREATED,
            ("password_changed_at", N_("Password changed on")),
            ("birth_month", N_("Month of birth")),
        ),
        readers.profile,
    ),
    Kind("roles", N_("Roles"), (("team", N_("Team")), ("role", N_("Role"))), readers.roles),
    Kind(
        "sessions",
        N_("Sign-ins"),
        (
            ("created_at", N_("Signed in on")),
            ("last_seen_at", N_("Last used")),
            ("ended_at", N_("Ended on")),
            ("ended_reason", N_("Why it ended")),
            ("address", N_("Internet address")),
        ),
        readers.sessions,
    ),
    Kind(
        "sign_in_attempts",
        N_("Sign-in attempts"),
        (("attempted_at", N_("When")), ("address", N_("Internet address")), ("succeeded", N_("Succeeded"))),
        readers.sign_ins,
    ),
    Kind(
        "requests",
        N_("Requests"),
        (
            ("id", N_("Number")),
            ("received_at", N_("Received on")),
            MINUTES,
            ("channel", N_("How")),
            TOPICS,
            ("level", N_("Level")),
            ("beyond_role", N_("Beyond my role")),
            ("referred_to", N_("Referred to")),
            NOTE,
            ("outside_hours", N_("Outside hours")),
            ("outside_reason", N_("Why outside hours")),
            ("is_night", N_("At night")),
            ("source", N_("Source")),
            CREATED,
            ("updated_at", N_("Changed on")),
            ("deleted_at", N_("Deleted on")),
        ),
        readers.requests,
    ),
    Kind(
        "request_changes",
        N_("Request changes"),
        (
            ("request_id", N_("Request number")),
            AT,
            ACTION,
            ("before", N_("Before")),
            ("after", N_("After")),
        ),
        readers.request_changes,
    ),
    Kind(
        "agreements",
        N_("Agreements"),
        (
            VALID_FROM,
            ("hours_per_week", N_("Hours per week")),
            ("max_outside_requests_per_week", N_("Requests outside hours per week")),
            ("max_night_requests_per_week", N_("Requests at night per week")),
            TOPICS,
            ("availability", N_("Available")),
            CREATED,
        ),
        readers.columns_of(
            DemarcationVersion,
            "valid_from",
            "hours_per_week",
            "max_outside_requests_per_week",
            "max_night_requests_per_week",
            "topics",
            "availability",
            "created_at",
        ),
    ),
    Kind(
        "alerts",
        N_("Alerts"),
        (
            ("id", N_("Number")),
            ("rule", N_("Rule")),
            ("window_start", N_("Week of")),
            ("severity", N_("Severity")),
            STATUS,
            ("value", N_("Value")),
            ("threshold", N_("Limit")),
            ("first_seen_at", N_("First seen")),
            ("opened_at", N_("Opened on")),
            ("acknowledged_at", N_("Acknowledged on")),
            ("resolved_at", N_("Resolved on")),
            NOTE,
        ),
        readers.columns_of(
            Alert,
            "id",
            "rule",
            "window_start",
            "severity",
            "status",
            "value",
            "threshold",
            "first_seen_at",
            "opened_at",
            "acknowledged_at",
            "resolved_at",
            "note",
        ),
    ),
    Kind(
        "alert_events",
        N_("Alert history"),
        (("alert_id", N_("Alert number")), AT, ACTION, NOTE),
        readers.alert_events,
    ),
    Kind(
        "snoozes",
        N_("Silenced alerts"),
        (("rule", N_("Rule")), ("until", N_("Until")), ("reason", N_("Reason")), CREATED, ("ended_at", N_("Ended on"))),
        readers.columns_of(Snooze, "rule", "until", "reason", "created_at", "ended_at"),
    ),
    Kind(
        "inbox",
        N_("Inbox"),
        (
            CREATED,
            ("message", N_("Message")),
            ("read_at", N_("Read on")),
            ("email_status", N_("E-mail")),
            ("email_sent_at", N_("E-mail sent on")),
        ),
        readers.inbox,
    ),
    Kind(
        "checkins",
        N_("Check-ins"),
        (
            ("id", N_("Number")),
            STATUS,
            CREATED,
            ("requested_at", N_("Asked on")),
            ("counsellor", N_("Counsellor")),
            ("scheduled_at", N_("Planned for")),
            MINUTES,
            ("mode", N_("How")),
            ("place", N_("Place")),
            ("closed_at", N_("Closed on")),
            ("follow_up_on", N_("Follow-up on")),
            ("reasons", N_("Why")),
        ),
        readers.checkins,
    ),
    Kind(
        "released_notes",
        N_("Notes released to me"),
        (
            ("checkin_id", N_("Check-in number")),
            CREATED,
            ("released_at", N_("Released on")),
            ("text", N_("Note")),
        ),
        readers.released_notes,
    ),
    Kind(
        "wellbeing_answers",
        N_("WHO-5 answers"),
        (
            ("answered_at", N_("Answered on")),
            ("item1", N_("Question 1")),
            ("item2", N_("Question 2")),
            ("item3", N_("Question 3")),
            ("item4", N_("Question 4")),
            ("item5", N_("Question 5")),
            ("score", N_("Score")),
        ),
        readers.wellbeing_answers,
    ),
    Kind(
        "wellbeing_settings",
        N_("Wellbeing settings"),
        (
            ("share_with_counsellor", N_("Counsellor may see my scores")),
            ("changed_at", N_("Changed on")),
            ("pulse_skipped_at", N_("Last skipped")),
        ),
        readers.wellbeing_settings,
    ),
    Kind(
        "trainings",
        N_("Trainings"),
        (
            ("training", N_("Training")),
            ("provider", N_("Given by")),
            ("completed_on", N_("Done on")),
            ("valid_until", N_("Valid until")),
            NOTE,
            ("recorded_at", N_("Recorded on")),
            ("confirmed_at", N_("Confirmed on")),
        ),
        readers.trainings,
    ),
    Kind(
        "allowance_agreements",
        N_("Allowance agreements"),
        (VALID_FROM, KIND, AMOUNT),
        readers.allowance_agreements,
    ),
    Kind(
        "payments",
        N_("Payments"),
        (
            ("id", N_("Number")),
            KIND,
            ("period", N_("For month")),
            ("paid_on", N_("Paid on")),
            AMOUNT,
            ("reference", N_("Reference")),
            ("receipt_reference", N_("Receipt")),
            ("topic", N_("Kind of problem")),
            NOTE,
            ("reverses_id", N_("Reverses number")),
        ),
        readers.payments,
    ),
    Kind(
        "calendar_feeds",
        N_("Calendar links"),
        (CREATED, ("revoked_at", N_("Stopped on"))),
        readers.columns_of(CalendarFeed, "created_at", "revoked_at"),
    ),
    Kind("own_actions", N_("My actions"), (AT, ACTION), readers.own_actions),
)
