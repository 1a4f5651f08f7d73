"""The voice tables: codebook versions, stop-lists, themes per answer, quote decisions, voice notes.

They hang off the survey tables (answers, responses, initiatives) and never the other way round:
``surveys`` knows nothing of them. Deleting an answer or a response deletes what voice stored
about it.
"""

from piccolo.columns import (
    JSON,
    UUID,
    Boolean,
    Bytea,
    Float,
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

from surveys.tables import Answer, Initiative, Response


class CodebookVersion(Table):
    """One frozen version of an initiative's codebook; the highest number is the current one."""

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    initiative = ForeignKey(Initiative, on_delete=OnDelete.cascade, index=True)
    number = Integer()
    definition = JSON()  # {"themes": [{"key", "name", "description", "keywords": [...]}, ...]}
    note = Varchar(length=300, default="")  # what changed, e.g. "added theme 'bus fares'"
    created_by = Varchar(length=320, default="system")
    created_at = Timestamptz(default=TimestamptzNow())


class StopName(Table):
    """A name an initiative always redacts in new answers: a member of staff, a school, a place."""

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    initiative = ForeignKey(Initiative, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=200)
    created_at = Timestamptz(default=TimestamptzNow())


class IgnoredProposal(Table):
    """A suggested theme a lead chose to ignore, so it is not suggested again."""

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    initiative = ForeignKey(Initiative, on_delete=OnDelete.cascade, index=True)
    phrase = Varchar(length=200)


class AnswerAnalysis(Table):
    """When an answer was themed, against which codebook version, and its rough sentiment."""

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    answer = ForeignKey(Answer, on_delete=OnDelete.cascade, unique=True)
    codebook_version = Integer()
    polarity = Float(null=True, default=None)  # -1..1, TextBlob's pattern analyser: an aid only
    subjectivity = Float(null=True, default=None)
    themed_at = Timestamptz(default=TimestamptzNow())


class AnswerTheme(Table):
    """One theme found in one answer by one codebook version."""

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    answer = ForeignKey(Answer, on_delete=OnDelete.cascade, index=True)
    theme_key = Varchar(length=64, index=True)
    codebook_version = Integer()


class QuoteRevision(Table):
    """A lead's decision on an answer as a quote; the newest per answer stands.

    ``text`` is the wording approved (the lead may trim or redact further); the answer's own
    redacted text is never changed, so the original stays for audit.
    """

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    answer = ForeignKey(Answer, on_delete=OnDelete.cascade, index=True)
    number = Integer()
    status = Varchar(length=10)  # "approved" or "rejected"
    text = Text(default="")
    decided_by = Varchar(length=320)
    decided_at = Timestamptz(default=TimestamptzNow())


class Transcription(Table):
    """Marks an answer as typed by a lead from a voice note (the note itself is then deleted)."""

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    answer = ForeignKey(Answer, on_delete=OnDelete.cascade, unique=True)
    transcribed_by = Varchar(length=320)
    transcribed_at = Timestamptz(default=TimestamptzNow())


class VoiceNote(Table):
    """A recorded answer, encrypted with the initiative's key; deleted once transcribed or old.

    Stored while the person is still answering (``submission_id``), linked to their response when
    they send it. ``audio`` is a Fernet token: it never holds the plain recording.
    """

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    initiative = ForeignKey(Initiative, on_delete=OnDelete.cascade, index=True)
    submission_id = UUID(index=True)
    response = ForeignKey(Response, null=True, default=None, on_delete=OnDelete.cascade, index=True)
    question_key = Varchar(length=64)
    media_type = Varchar(length=40)
    size = Integer()
    audio = Bytea()
    quote_consent = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    # A machine draft of what was said (voice.drafts), redacted, for the lead to correct.
    draft = Text(null=True, default=None)
    draft_state = Varchar(length=12, default="")  # "" waiting, "done", "none", "failed"
    draft_engine = Varchar(length=80, default="")
    draft_note = Varchar(length=300, default="")  # why there is no draft, for the lead


class ThemeTally(Table):
    """How many answers each theme was found in, per session, questionnaire version and hour:
    kept by database triggers (migration ``voice_2026_12_07t09_00_01``) like the response and
    answer tallies of :mod:`surveys.tallies`, and read the same way. Only counts."""

    id: Serial  # Piccolo adds it at runtime; declared for type checkers

    initiative = Integer()
    questionnaire_version = Integer()
    session = Integer()
    submitted_hour = Timestamptz()
    theme_key = Varchar(length=64)
    n = Integer(default=0)


TABLES = [
    CodebookVersion,
    StopName,
    IgnoredProposal,
    AnswerAnalysis,
    AnswerTheme,
    QuoteRevision,
    Transcription,
    VoiceNote,
    ThemeTally,
]
