"""The one submission rule every face calls (`surveys.submissions.take`), called directly.

The phone form, the JSON API (the tablet) and paper entry only read their input and show its
errors; what is stored, under which pseudonym, with which text, and what a retry does is
decided here, the same for all three.
"""

from __future__ import annotations

import uuid

import pytest

from surveys import pseudonyms
from surveys.paper import SheetError
from surveys.questionnaires import InvalidAnswers
from surveys.sessions import open_session
from surveys.submissions import InvalidParticipantCode, SubmissionConflict, take
from surveys.tables import Answer, AuditEvent, Response
from tests.support import run
from voice.stoplist import add_stop_name, text_filter_for

CHOICES = {"listened": "yes", "next_steps": "partly", "helpful": "yes", "child_views": "no"}
WORDS = "Mrs Kowalska at Thornbury rang me on 07700 900123"


@pytest.fixture
def session(db):
    from surveys.demo import ensure_demo_sessions

    opened = run(open_session(run(ensure_demo_sessions())["anew"]["token"]))
    run(add_stop_name(opened.initiative_id, "Thornbury", actor="lead@example.org"))
    return opened


class Faces:
    """What a face passes in: the app's text filter and theming hand-off, here counted."""

    def __init__(self) -> None:
        self.filters_read: list[int] = []
        self.handed_on: list[int] = []

    async def text_filter_for(self, initiative_id: int):
        self.filters_read.append(initiative_id)
        return await text_filter_for(initiative_id)

    def after_store(self, response_id: int) -> None:
        self.handed_on.append(response_id)

    def take(self, session, submission_id, answers, **given):
        given.setdefault("language", "en")
        given.setdefault("way", "tablet")
        return run(
            take(
                session,
                submission_id,
                answers,
                text_filter_for=self.text_filter_for,
                after_store=self.after_store,
                **given,
            )
        )


def _stored() -> list[dict]:
    return run(Response.select(Response.id, Response.pseudonym, Response.language, Response.way, Response.sheet))


def _texts() -> list[str]:
    return [r["text"] for r in run(Answer.select(Answer.text).where(Answer.text.is_not_null()))]


def test_a_submission_is_stored_once_under_its_pseudonym_with_filtered_text(session):
    faces, sid = Faces(), uuid.uuid4()
    answers = {**CHOICES, "better": WORDS}
    receipt = faces.take(session, sid, answers, participant_code="  " + pseudonyms.display(pseudonyms.new_code()))
    [row] = _stored()
    assert receipt.response_id == row["id"] and receipt.submission_id == sid and not receipt.replayed
    assert pseudonyms.is_pseudonym(row["pseudonym"])
    assert (row["language"], row["way"], row["sheet"]) == ("en", "tablet", None)
    assert run(Answer.count().where(Answer.response == row["id"])) == len(answers)
    # Redaction, with the initiative's stop-list, before anything reaches the database.
    assert _texts() == ["[name] at [name] rang me on [phone]"]
    assert faces.handed_on == [row["id"]] and faces.filters_read == [session.initiative_id]

    # A retry with the same answers is the same success, stored once and handed on again.
    again = faces.take(session, sid, answers, pseudonym=row["pseudonym"])
    assert again.replayed and again.response_id == row["id"]
    assert faces.handed_on == [row["id"], row["id"]]

    # The same id with other answers: refused, the first answers stand, nothing handed on.
    with pytest.raises(SubmissionConflict):
        faces.take(session, sid, {**answers, "better": "Something else"}, pseudonym=row["pseudonym"])
    assert len(_stored()) == 1 and _texts() == ["[name] at [name] rang me on [phone]"]
    assert faces.handed_on == [row["id"], row["id"]]


def test_the_same_code_gives_the_same_pseudonym_the_form_carries(session):
    faces, code = Faces(), pseudonyms.new_code()
    faces.take(session, uuid.uuid4(), CHOICES, participant_code=code.lower())
    faces.take(
        session, uuid.uuid4(), CHOICES, way="phone", pseudonym=pseudonyms.pseudonym(session.initiative_slug, code)
    )
    people = {r["pseudonym"] for r in _stored()}
    assert people == {pseudonyms.pseudonym(session.initiative_slug, code)}
    assert sorted(r["way"] for r in _stored()) == ["phone", "tablet"]
    faces.take(session, uuid.uuid4(), CHOICES, participant_code="   ")  # blank: no one in particular
    assert sorted(r["pseudonym"] or "" for r in _stored())[0] == ""


def test_nothing_is_stored_or_read_for_a_wrong_code_or_wrong_answers(session):
    faces = Faces()
    with pytest.raises(InvalidParticipantCode) as refused:
        faces.take(session, uuid.uuid4(), CHOICES, participant_code="ABCD-2345-Z")
    assert list(refused.value.errors) == ["participant_code"]
    assert isinstance(refused.value, InvalidAnswers)  # a 422 naming the field, to the API
    assert faces.filters_read == []  # refused before the stop-list is read
    with pytest.raises(InvalidAnswers) as wrong:
        faces.take(session, uuid.uuid4(), {**CHOICES, "listened": "perhaps"})
    assert "listened" in wrong.value.errors
    with pytest.raises(ValueError, match="not both"):
        faces.take(session, uuid.uuid4(), CHOICES, participant_code="x", pseudonym="y")
    assert _stored() == [] and faces.handed_on == []


def test_a_paper_sheet_goes_in_once_with_blanks_and_its_number(session):
    faces, sid = Faces(), uuid.uuid4()
    receipt = faces.take(
        session, sid, {"listened": "no", "better": WORDS}, way="paper", sheet=3, actor="lead@anew.example"
    )
    [row] = _stored()
    assert (row["way"], row["sheet"], row["id"]) == ("paper", 3, receipt.response_id)
    assert _texts() == ["[name] at [name] rang me on [phone]"]
    assert faces.handed_on == [row["id"]]

    # A double-submitted entry form is a replay; it was handed on when first typed in.
    again = faces.take(
        session, sid, {"listened": "no", "better": WORDS}, way="paper", sheet=3, actor="lead@anew.example"
    )
    assert again.replayed and again.response_id == row["id"] and faces.handed_on == [row["id"]]
    with pytest.raises(SubmissionConflict):
        faces.take(session, sid, {"listened": "yes"}, way="paper", sheet=3, actor="lead@anew.example")

    # Another entry with a number already typed in is refused, naming the sheet.
    with pytest.raises(SheetError) as taken:
        faces.take(session, uuid.uuid4(), {"listened": "yes"}, way="paper", sheet=3, actor="lead@anew.example")
    assert list(taken.value.errors) == ["sheet"]
    with pytest.raises(ValueError, match="sheet number"):
        faces.take(session, uuid.uuid4(), {"listened": "yes"}, way="paper")
    assert len(_stored()) == 1 and faces.handed_on == [row["id"]]
    # The sheet typed in is on the audit log once, as a count, by who typed it; never its answers.
    [entry] = run(AuditEvent.select().where(AuditEvent.action == "paper sheet entered"))
    assert entry["actor"] == "lead@anew.example"
    assert entry["detail"].endswith(": sheet 3; 1 sheets typed in")
    assert "rang me" not in entry["detail"] and "[name]" not in entry["detail"]
