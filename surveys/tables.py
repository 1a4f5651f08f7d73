"""The survey tables: what Heard stores, and nothing more.

Answers are rows (one per chosen option or free text), not a JSON blob, so counting is SQL.
A response points at the exact questionnaire version it answered. Nothing here holds a name,
an address, an IP address or a device detail; a respondent is at most a keyed pseudonym.
"""

from piccolo.columns import (
    JSON,
    UUID,
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

AUDIENCES = ("parent", "child", "practitioner")
# How a response was given: on a phone (or any browser) form, on a shared tablet, or on paper and
# typed in by staff (see surveys/paper.py).
WAYS = ("phone", "tablet", "paper")
PHASES = ("before", "after", "single")
ROLES = ("admin", "lead", "viewer")
# Integer columns, ids included, hold 32 bits on PostgreSQL (64 on SQLite). A number from a
# request outside this range names no row, and the database drivers refuse to even send it.
STORABLE_INTEGERS = range(-(2**31), 2**31)


class Initiative(Table):
    """A programme a service runs, e.g. ANEW; everything else belongs to exactly one."""

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    slug = Varchar(length=64, unique=True)
    name = Varchar(length=200)
    summary = Text(default="")
    contact = Varchar(length=300, default="")
    suppression_threshold = Integer(default=10)
    retention_months = Integer(default=24)
    created_at = Timestamptz(default=TimestamptzNow())
    # The privacy notice a lead fills in (surveys.privacy supplies wording for blanks).
    privacy_controller = Text(default="")
    privacy_purpose = Text(default="")
    privacy_lawful_basis = Text(default="")
    privacy_contact = Text(default="")
    privacy_rights = Text(default="")
    # The pack it was made from (surveys/packs/), "" for one started blank; its codebook seeds
    # the initiative's first.
    pack = Varchar(length=64, default="")
    # Archived: no new sessions; its data kept until retention ends; reversible.
    archived_at = Timestamptz(null=True, default=None)


class Questionnaire(Table):
    """A named questionnaire of an initiative; its content lives in numbered versions."""

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    initiative = ForeignKey(Initiative, on_delete=OnDelete.restrict, index=True)
    slug = Varchar(length=100)
    title = Varchar(length=200)
    audience = Varchar(length=20)
    created_at = Timestamptz(default=TimestamptzNow())


class QuestionnaireVersion(Table):
    """One frozen version of a questionnaire: the validated definition, as JSON."""

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    questionnaire = ForeignKey(Questionnaire, on_delete=OnDelete.restrict, index=True)
    number = Integer()
    definition = JSON()
    fingerprint = Varchar(length=64)
    created_at = Timestamptz(default=TimestamptzNow())


class Session(Table, tablename="survey_session"):
    """One occasion people answer at: a meeting, a group, a day in a nursery."""

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    initiative = ForeignKey(Initiative, on_delete=OnDelete.restrict, index=True)
    questionnaire_version = ForeignKey(QuestionnaireVersion, on_delete=OnDelete.restrict)
    token = Varchar(length=16, unique=True)
    site = Varchar(length=200, default="")
    audience = Varchar(length=20)
    phase = Varchar(length=10, default="single")
    held_on = Date(null=True, default=None)
    opens_at = Timestamptz(null=True, default=None)
    closes_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    # The adult's PIN for leaving the child's tablet, as a salted PBKDF2 hash (see surveys/kiosk.py).
    kiosk_pin = Varchar(length=200, null=True, default=None)


class Response(Table):
    """One person's submitted answers. ``submission_id`` is minted by the client, once."""

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    initiative = ForeignKey(Initiative, on_delete=OnDelete.restrict, index=True)
    session = ForeignKey(Session, on_delete=OnDelete.restrict, index=True)
    questionnaire_version = ForeignKey(QuestionnaireVersion, on_delete=OnDelete.restrict, index=True)
    submission_id = UUID(unique=True)
    pseudonym = Varchar(length=64, null=True, default=None, index=True)
    language = Varchar(length=16, default="en")
    # Kept to the hour: enough for reports, too coarse to pick a person out of a rota.
    submitted_hour = Timestamptz()
    way = Varchar(length=10, default="phone")  # one of WAYS
    # A paper sheet's number, unique within its session (an index the migration makes), so a
    # sheet can't be typed in twice; None for every other way.
    sheet = Integer(null=True, default=None)
    # A keyed digest of the answers as checked (see surveys.responses): the same submission id
    # sent again with different answers is refused, not replayed. None for responses stored before.
    answers_digest = Varchar(length=64, null=True, default=None)


class Answer(Table):
    """One answer to one question: a chosen option (with its numeric coding) or free text."""

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    response = ForeignKey(Response, on_delete=OnDelete.cascade, index=True)
    question_key = Varchar(length=64, index=True)
    option_key = Varchar(length=64, null=True, default=None)
    value = Integer(null=True, default=None)
    text = Text(null=True, default=None)
    quote_consent = Boolean(default=False)


class Account(Table):
    """Someone who runs or reads an initiative's results. Respondents never have accounts."""

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    email = Varchar(length=320, unique=True)
    password_hash = Varchar(length=200)
    role = Varchar(length=10, default="lead")
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    # Second factor (TOTP): an admin may require it; the secret is set once a code confirms it.
    totp_required = Boolean(default=False)
    totp_secret = Varchar(length=64, null=True, default=None)
    totp_pending = Varchar(length=64, null=True, default=None)
    # The last 30-second step a code was accepted for: the same code never works twice.
    totp_last_step = Integer(null=True, default=None)


class Membership(Table):
    """Which initiatives an account may see (admins see all)."""

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    account = ForeignKey(Account, on_delete=OnDelete.cascade, index=True)
    initiative = ForeignKey(Initiative, on_delete=OnDelete.cascade, index=True)


class LoginSession(Table):
    """A signed-in browser, kept in the database so every app process shares it."""

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    token_hash = Varchar(length=64, unique=True)
    account = ForeignKey(Account, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()


TABLES = [
    Initiative,
    Questionnaire,
    QuestionnaireVersion,
    Session,
    Response,
    Answer,
    Account,
    Membership,
    LoginSession,
]


class AuditEvent(Table):
    """Append-only record of who did what: sign-ins, exports, erasures, approvals, changes.

    Never holds an answer or a participant code; ``detail`` is a short factual note.
    """

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    at = Timestamptz(default=TimestamptzNow(), index=True)
    actor = Varchar(length=320, default="")  # an account's email, or "system" / "cli"
    action = Varchar(length=64, index=True)
    initiative = ForeignKey(Initiative, null=True, default=None, on_delete=OnDelete.set_null, index=True)
    detail = Text(default="")


TABLES.append(AuditEvent)


class ShareLink(Table):
    """A read-only link to one initiative's partner summary, with the filters it was made with.

    Only a hash of the token is kept, so the database alone can't open a link. It stops working
    at ``expires_at`` or once revoked; it shows the summary and never raw answers.
    """

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    initiative = ForeignKey(Initiative, on_delete=OnDelete.cascade, index=True)
    token_hash = Varchar(length=64, unique=True)
    filters = Text(default="{}")  # JSON of surveys.summary.Filters.as_dict()
    label = Varchar(length=200, default="")
    created_by = Varchar(length=320, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)


TABLES.append(ShareLink)
class AccountToken(Table):
    """A one-time token for an account: a set-password link, or the step between password and code.

    Only the SHA-256 of the token is kept; it works once (``used_at``) and until ``expires_at``.
    """

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    token_hash = Varchar(length=64, unique=True)
    account = ForeignKey(Account, on_delete=OnDelete.cascade, index=True)
    purpose = Varchar(length=20)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class LoginAttempt(Table):
    """A failed sign-in, for throttling across processes.

    ``key`` is a keyed hash (HMAC with the secret key) of an email or an address, never the address
    itself: IP addresses are not stored.
    """

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    kind = Varchar(length=10)  # "account" or "address"
    key = Varchar(length=64, index=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)


TABLES.extend([AccountToken, LoginAttempt])
class DeliveryPartner(Table):
    """An organisation that delivers an initiative's sessions (CMHWF's 12 third-sector groups).

    Practitioner logs offer these as the answers to "Which organisation ran the session?".
    """

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    initiative = ForeignKey(Initiative, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=200)
    created_at = Timestamptz(default=TimestamptzNow())


class Comparison(Table):
    """An outside figure a lead sets beside a measure ("35% across primary schools", source, year).

    Shown as context only: Heard never tests a difference against it.
    """

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    initiative = ForeignKey(Initiative, on_delete=OnDelete.cascade, index=True)
    questionnaire = Varchar(length=100)  # the questionnaire's slug
    question_key = Varchar(length=64)
    value_percent = DoublePrecision()
    description = Varchar(length=300)
    source = Varchar(length=300)
    year = Integer()
    created_at = Timestamptz(default=TimestamptzNow())


TABLES += [DeliveryPartner, Comparison]


class QuestionnaireDraft(Table):
    """A questionnaire a lead is building in the browser (surveys.builder), not yet published.

    ``definition`` is what a TOML file would hold, and always parses: every change is checked
    before it is saved. Nobody answers a draft; publishing makes a version and removes it.
    """

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    initiative = ForeignKey(Initiative, on_delete=OnDelete.cascade, index=True)
    slug = Varchar(length=100)
    definition = JSON()
    based_on = Integer(null=True, default=None)  # the version number it was started from, if any
    updated_by = Varchar(length=320, default="")
    updated_at = Timestamptz(default=TimestamptzNow())


TABLES.append(QuestionnaireDraft)


class ResponseTally(Table):
    """How many responses share a session, version, hour and way: kept by database triggers.

    Counting a million responses row by row takes seconds; summing these takes milliseconds.
    Every filter a lead or partner can set (questionnaire, period, site, audience, phase) is a
    column here or on the session, so a tally answers exactly what a count of the responses
    would. The triggers (migration ``surveys_2026_12_07t09_00_00``) keep it in the same
    transaction as the row they count, whatever path wrote it; ``surveys.tallies.check``
    compares it with a recount. Only counts: no person, no answer text.
    """

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    # Declared as foreign keys so queries can join through them (``ResponseTally.session.site``);
    # the migration gives the table no constraint, so a tally never blocks deleting its session.
    initiative = ForeignKey(Initiative, on_delete=OnDelete.no_action)
    questionnaire_version = ForeignKey(QuestionnaireVersion, on_delete=OnDelete.no_action)
    session = ForeignKey(Session, on_delete=OnDelete.no_action)
    submitted_hour = Timestamptz()
    way = Varchar(length=10)
    n = Integer(default=0)


class AnswerTally(Table):
    """How many answers share a session, version, hour, question and option (``''`` for a
    written answer): kept by the same triggers as :class:`ResponseTally`."""

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    # Declared as foreign keys so queries can join through them (``ResponseTally.session.site``);
    # the migration gives the table no constraint, so a tally never blocks deleting its session.
    initiative = ForeignKey(Initiative, on_delete=OnDelete.no_action)
    questionnaire_version = ForeignKey(QuestionnaireVersion, on_delete=OnDelete.no_action)
    session = ForeignKey(Session, on_delete=OnDelete.no_action)
    submitted_hour = Timestamptz()
    question_key = Varchar(length=64)
    option_key = Varchar(length=64)
    n = Integer(default=0)
    written = Integer(default=0)  # how many of the n have text: the moderation queue counts these


TABLES += [ResponseTally, AnswerTally]
