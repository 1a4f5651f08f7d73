"""Pairing before and after answers by pseudonym, erasing one person, purging what has expired."""

from __future__ import annotations

import datetime as dt

import pytest

from surveys import audit, erasure
from surveys.initiatives import by_slug
from surveys.pairing import paired_values
from surveys.pseudonyms import InvalidCode, display, new_code, pseudonym
from surveys.statistics import paired_change
from surveys.tables import Answer, AuditEvent, Response
from surveys.versions import questionnaires_of
from tests.privacy.helpers import ANEW, answer, phase_session
from tests.support import run

UTC = dt.UTC


def _ids(**where):
    query = Response.select(Response.id).order_by(Response.id)
    for column, value in where.items():
        query = query.where(getattr(Response, column) == value)
    return [r["id"] for r in run(query)]


def _questionnaire(slug: str) -> int:
    return run(questionnaires_of(run(by_slug(slug))["id"]))[0]["id"]


def test_a_code_linked_before_and_after_pair_is_matched(db):
    before, after = run(phase_session("anew", "before")), run(phase_session("anew", "after"))
    family, other = new_code(), new_code()
    run(answer(before, {**ANEW, "listened": "no"}, code=display(family)))
    # Answered "before" twice: the first counts.
    run(answer(before, {**ANEW, "listened": "partly"}, code=family.lower(),
               when=dt.datetime.now(UTC) + dt.timedelta(hours=2)))
    run(answer(after, {**ANEW, "listened": "yes"}, code=family))
    run(answer(before, ANEW, code=other))          # no after: not paired
    run(answer(after, ANEW))                       # no code: never paired
    initiative = run(by_slug("anew"))
    pairs = run(paired_values(initiative["id"], _questionnaire("anew")))
    assert pairs["listened"].before == [1] and pairs["listened"].after == [3]
    # "not sure" has no number, so there is nothing to pair for child_views.
    assert "child_views" not in pairs
    assert sorted(pairs) == ["helpful", "listened", "next_steps"]
    change = paired_change(pairs["listened"].before, pairs["listened"].after)
    assert (change.pairs, change.better) == (1, 1)


def test_the_same_code_in_two_initiatives_gives_different_pseudonyms(db):
    code = new_code()
    anew_session = run(phase_session("anew", "before"))
    cmhwf_session = run(phase_session("cmhwf", "before"))
    run(answer(anew_session, ANEW, code=code))
    run(answer(cmhwf_session, None, code=code))
    stored = run(Response.select(Response.initiative.slug, Response.pseudonym).order_by(Response.id))
    assert stored[0]["pseudonym"] != stored[1]["pseudonym"]
    assert stored[0]["pseudonym"] == pseudonym("anew", code)
    assert stored[1]["pseudonym"] == pseudonym("cmhwf", code)
    # Pairing never crosses initiatives.
    anew = run(by_slug("anew"))
    after = run(phase_session("cmhwf", "after"))
    run(answer(after, None, code=code))
    assert run(paired_values(anew["id"], _questionnaire("anew"))) == {}


def test_erase_removes_exactly_that_persons_rows_and_is_audited(db):
    before, after = run(phase_session("anew", "before")), run(phase_session("anew", "after"))
    cmhwf = run(phase_session("cmhwf", "after"))
    person, neighbour = new_code(), new_code()
    gone = [run(answer(before, ANEW, code=person)), run(answer(after, ANEW, code=person))]
    kept = [run(answer(before, ANEW, code=neighbour)), run(answer(after, ANEW)),
            run(answer(cmhwf, None, code=person))]  # the same card in another initiative stays
    answers_before = run(Answer.count())

    assert run(erasure.erase("anew", display(person).lower(), actor="lead@anew.example")) == 2
    assert _ids() == sorted(kept)
    assert run(Answer.count().where(Answer.response.is_in(gone))) == 0
    assert run(Answer.count()) == answers_before - 2 * 4
    # Idempotent: nothing more to delete.
    assert run(erasure.erase("anew", person)) == 0
    events = run(AuditEvent.select().where(AuditEvent.action == "erased on request").order_by(AuditEvent.id))
    assert [e["detail"] for e in events] == ["2 responses deleted for one participant code",
                                             "0 responses deleted for one participant code"]
    assert events[0]["actor"] == "lead@anew.example"
    for event in run(AuditEvent.select()):
        assert person not in str(event).upper().replace("-", "")


def test_erase_refuses_a_mistyped_code(db):
    session = run(phase_session("anew", "before"))
    code = new_code()
    run(answer(session, ANEW, code=code))
    typo = code[:8] + ("0" if code[8] != "0" else "1")
    with pytest.raises(InvalidCode):
        run(erasure.erase("anew", typo))
    assert len(_ids()) == 1


def test_purge_removes_exactly_the_expired_rows(db):
    now = dt.datetime(2026, 11, 22, 10, 30, tzinfo=UTC)
    anew, cmhwf = run(phase_session("anew", "after")), run(phase_session("cmhwf", "single"))
    run(Response.raw("UPDATE initiative SET retention_months = 12 WHERE slug = 'cmhwf'"))
    old = now - dt.timedelta(days=800)
    expired = [
        run(answer(anew, ANEW, when=old)),
        run(answer(anew, ANEW, when=dt.datetime(2024, 11, 22, 9, 0, tzinfo=UTC))),  # 24 months + 1h
        run(answer(cmhwf, None, when=dt.datetime(2025, 11, 22, 10, 0, tzinfo=UTC) - dt.timedelta(hours=1))),
    ]
    kept = [
        run(answer(anew, ANEW, when=dt.datetime(2024, 11, 22, 11, 0, tzinfo=UTC))),  # not yet 24 months
        run(answer(anew, ANEW, when=now)),
        run(answer(cmhwf, None, when=dt.datetime(2025, 12, 1, tzinfo=UTC))),
    ]
    result = run(erasure.purge(now=now, batch=1))  # batches of one: every batch its own transaction
    assert result == {"anew": 2, "cmhwf": 1, "art-at-the-start": 0}
    assert _ids() == sorted(kept)
    assert run(Answer.count().where(Answer.response.is_in(expired))) == 0
    # Idempotent, and audited once per initiative that lost something.
    assert run(erasure.purge(now=now)) == {"anew": 0, "cmhwf": 0, "art-at-the-start": 0}
    events = run(audit.events())
    purges = [e for e in events if e["action"] == "retention purge"]
    assert sorted((e["initiative"], e["detail"]) for e in purges) == [
        ("anew", "2 responses older than 24 months deleted"),
        ("cmhwf", "1 response older than 12 months deleted"),
    ]


def test_a_failed_batch_leaves_whole_responses(db, monkeypatch):
    """A crash inside a purge's transaction rolls the whole batch back: no response loses only
    some of its answers, and the next purge finishes the job."""
    session = run(phase_session("anew", "after"))
    old = dt.datetime(2020, 1, 1, tzinfo=UTC)
    ids = [run(answer(session, ANEW, when=old)) for _ in range(3)]
    real_delete = Response.delete

    class Crash(RuntimeError):
        pass

    class DeleteThenCrash:
        """Runs the real DELETE, then fails before the transaction can commit."""

        def __init__(self, query):
            self.query = query

        def where(self, *args):
            self.query = self.query.where(*args)
            return self

        def returning(self, *args):
            self.query = self.query.returning(*args)
            return self

        def __await__(self):
            async def go():
                await self.query
                raise Crash("power cut")
            return go().__await__()

    calls = {"n": 0}

    def crashing_delete(*args, **kwargs):
        calls["n"] += 1
        query = real_delete(*args, **kwargs)
        return DeleteThenCrash(query) if calls["n"] == 2 else query

    monkeypatch.setattr(Response, "delete", crashing_delete)
    with pytest.raises(Crash):
        run(erasure.purge(batch=2))
    monkeypatch.setattr(Response, "delete", real_delete)
    remaining = _ids()
    # The first batch of two is gone whole; the second's delete ran and was rolled back whole.
    assert remaining == ids[2:]
    assert run(Answer.count().where(Answer.response == ids[2])) == 4
    assert run(erasure.purge()) == {"anew": 1, "cmhwf": 0, "art-at-the-start": 0}
    assert _ids() == []


@pytest.mark.parametrize("moment,months,expected", [
    (dt.datetime(2026, 3, 31, tzinfo=UTC), 1, dt.datetime(2026, 2, 28, tzinfo=UTC)),
    (dt.datetime(2026, 1, 15, tzinfo=UTC), 24, dt.datetime(2024, 1, 15, tzinfo=UTC)),
    (dt.datetime(2026, 1, 15, tzinfo=UTC), 13, dt.datetime(2024, 12, 15, tzinfo=UTC)),
    (dt.datetime(2024, 2, 29, tzinfo=UTC), 12, dt.datetime(2023, 2, 28, tzinfo=UTC)),
])
def test_months_before_is_calendar_months(moment, months, expected):
    assert erasure.months_before(moment, months) == expected
