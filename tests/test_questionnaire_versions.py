"""Questionnaires as files: import → answer → edit → import makes a new version, and results never
mix answers to differently-worded questions.

Driven through the ``heard`` command as a lead would use it, against the test database.
"""

from __future__ import annotations

import tomllib
import uuid
from pathlib import Path

import pytest

from frontend import cli
from surveys.aggregation import question_summaries
from surveys.initiatives import by_slug
from surveys.questionnaires import DefinitionError, parse_toml, template_files
from surveys.responses import submit
from surveys.sessions import create_session, open_session
from surveys.tables import Answer, Response
from surveys.versions import questionnaire_by_slug, versions_of
from tests.support import run

EVERY_TYPE = Path(__file__).parent / "questionnaires" / "every-type.toml"

SMALL = '''slug = "club"
title = "After-school club"
audience = "parent"
about = "the after-school club"

[[questions]]
key = "listened"
type = "choice"
scale = "yes_partly_no"
text = "Did you feel listened to?"

[[questions]]
key = "useful"
type = "choice"
scale = "yes_no"
text = "Was the club useful?"
help = "Think about this term."
'''


def main(argv: list[str]) -> int:
    """Run ``heard …`` in a thread of its own: it starts its own event loop, as from a shell."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(cli.main, argv).result()


def answer(initiative_id: int, version_id: int, listened: str, useful: str) -> None:
    session = run(create_session(initiative_id, version_id, audience="parent"))
    opened = run(open_session(session["token"]))
    run(submit(opened, uuid.uuid4(), {"listened": listened, "useful": useful}))


def test_import_answer_edit_import_makes_a_new_version_and_keeps_old_answers(db, tmp_path, capsys):
    path = tmp_path / "club.toml"
    path.write_text(SMALL)
    assert main(["questionnaire", "import", str(path), "--initiative", "anew"]) == 0
    assert "Imported 'club' as version 1." in capsys.readouterr().out
    anew = run(by_slug("anew"))
    club = run(questionnaire_by_slug(anew["id"], "club"))
    (v1,) = run(versions_of(club["id"]))
    for listened, useful in [("yes", "yes"), ("yes", "no"), ("no", "yes")]:
        answer(anew["id"], v1["id"], listened, useful)

    # Export, edit the wording of one question and the help of another, import again.
    exported = tmp_path / "exported.toml"
    assert main(["questionnaire", "export", "club", "--initiative", "anew", "-o", str(exported)]) == 0
    assert tomllib.loads(exported.read_text()) == tomllib.loads(SMALL)
    edited = exported.read_text().replace("Was the club useful?", "Was the club useful to your family?")
    edited = edited.replace("Did you feel listened to?", "Did you feel listened to?")  # unchanged
    edited = edited.replace("Think about this term.", "Think about this year.")
    exported.write_text(edited)
    assert main(["questionnaire", "import", str(exported), "--initiative", "anew"]) == 0
    assert "Imported 'club' as version 2." in capsys.readouterr().out
    # Importing the same file again changes nothing.
    assert main(["questionnaire", "import", str(exported), "--initiative", "anew"]) == 0
    assert "unchanged: still version 2" in capsys.readouterr().out

    v1_again, v2 = run(versions_of(club["id"]))
    assert (v1_again["id"], v1_again["responses"], v2["number"], v2["responses"]) == (v1["id"], 3, 2, 0)
    answer(anew["id"], v2["id"], "yes", "yes")
    # Old responses still point at version 1, with their answers intact.
    old = run(Response.select(Response.id).where(Response.questionnaire_version == v1["id"]))
    assert len(old) == 3
    assert run(Answer.count().where(Answer.response.is_in([r["id"] for r in old]))) == 6

    summaries = {(s.page.answer_key, s.versions): s for s in run(question_summaries(anew["id"], club["id"]))}
    # Unchanged question: both versions combined.
    listened = summaries[("listened", (1, 2))]
    assert listened.current and listened.counts == {"yes": 3, "no": 1}
    # Reworded question: counted apart, the new wording first.
    assert summaries[("useful", (2,))].counts == {"yes": 1}
    assert summaries[("useful", (2,))].page.text == "Was the club useful to your family?"
    old_useful = summaries[("useful", (1,))]
    assert not old_useful.current and old_useful.counts == {"yes": 2, "no": 1}
    assert old_useful.page.text == "Was the club useful?"

    # Older versions can still be exported.
    assert main(["questionnaire", "export", "club", "--initiative", "anew", "--version", "1"]) == 0
    assert "Was the club useful?" in capsys.readouterr().out


def test_dashboard_shows_a_reworded_question_apart(client, db, tmp_path):
    import re

    from surveys import accounts

    anew = run(by_slug("anew"))
    path = tmp_path / "club.toml"
    path.write_text(SMALL)
    assert main(["questionnaire", "import", str(path), "--initiative", "anew"]) == 0
    club = run(questionnaire_by_slug(anew["id"], "club"))
    (v1,) = run(versions_of(club["id"]))
    answer(anew["id"], v1["id"], "yes", "yes")
    path.write_text(SMALL.replace("Was the club useful?", "Did the club help?"))
    assert main(["questionnaire", "import", str(path), "--initiative", "anew"]) == 0
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    form = client.get("/lead/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text).group(1)
    client.post("/lead/login", data={"email": "lead@anew.example", "password": "correct horse", "_csrf_token": token})
    page = client.get("/lead/anew/").text
    assert "Did the club help?" in page
    assert "Was the club useful? <span class=\"caption\">(version 1 only: asked differently, so counted apart)" in page


@pytest.mark.parametrize(
    "change,message",
    [
        (('scale = "yes_no"', 'scale = "yes_maybe"'), "club.toml: question 'useful': unknown scale 'yes_maybe'"),
        (('key = "useful"', 'key = "listened"'), "club.toml: question 'listened': this key is used twice"),
        (('type = "choice"\nscale = "yes_no"', 'type = "picture"\noptions = ["A", "B"]'),
         "club.toml: question 'useful': option 1 needs a 'picture'"),
        (('audience = "parent"', 'audience = "everyone"'), "club.toml: 'audience' must be one of"),
        (('title = "After-school club"', 'title = "After-school club'), "club.toml: not valid TOML"),
    ],
)
def test_import_errors_name_the_file_and_question_and_exit_2(db, tmp_path, capsys, change, message):
    path = tmp_path / "club.toml"
    path.write_text(SMALL.replace(*change))
    assert main(["questionnaire", "import", str(path), "--initiative", "anew"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message), err
    assert "Traceback" not in err


def test_unknown_initiative_or_questionnaire_exit_2(db, tmp_path, capsys):
    path = tmp_path / "club.toml"
    path.write_text(SMALL)
    assert main(["questionnaire", "import", str(path), "--initiative", "nope"]) == 2
    assert "there is no initiative 'nope'" in capsys.readouterr().err
    assert main(["questionnaire", "export", "nope", "--initiative", "anew"]) == 2
    assert "there is no questionnaire 'nope'" in capsys.readouterr().err


def test_audience_of_an_existing_questionnaire_cannot_change(db, tmp_path, capsys):
    path = tmp_path / "club.toml"
    path.write_text(SMALL)
    assert main(["questionnaire", "import", str(path), "--initiative", "anew"]) == 0
    path.write_text(SMALL.replace('audience = "parent"', 'audience = "child"'))
    assert main(["questionnaire", "import", str(path), "--initiative", "anew"]) == 2
    assert "club.toml: 'audience' is 'parent' for this questionnaire and can't change" in capsys.readouterr().err


def test_session_create_prints_a_short_url_that_opens(db, capsys):
    assert main(["session", "create", "--initiative", "art-at-the-start", "--questionnaire", "art-at-the-start-parent",
                 "--audience", "parent", "--phase", "after", "--site", "The McManus", "--date", "2026-12-05",
                 "--opens", "2026-01-01 09:00", "--closes", "2099-01-01 09:00"]) == 0
    url = capsys.readouterr().out.strip()
    assert url.startswith("http://127.0.0.1:8000/s/") and len(url) <= 40
    opened = run(open_session(url.rsplit("/", 1)[-1]))
    assert (opened.phase, opened.site, opened.initiative_slug) == ("after", "The McManus", "art-at-the-start")
    assert main(["session", "create", "--initiative", "art-at-the-start", "--questionnaire", "art-at-the-start-parent",
                 "--audience", "parent", "--opens", "2026-02-01 09:00", "--closes", "2026-01-01 09:00"]) == 2
    assert "--closes must be after --opens" in capsys.readouterr().err


def test_every_type_file_parses_with_its_codings():
    definition = parse_toml(EVERY_TYPE.read_text(), source=EVERY_TYPE.name)
    types = {q.type for q in definition.questions}
    assert types == {"picture", "choice", "multi", "text", "pair"}
    feeling = next(q for q in definition.questions if q.key == "feeling3")
    assert [(o.key, o.value) for o in feeling.options] == [("sad", 1), ("ok", 2), ("happy", 3), ("rather_not_say", None)]
    pet = next(q for q in definition.questions if q.key == "pet")
    assert [o.picture for o in pet.options] == ["pictures/cat.svg", "pictures/dog.svg", "pictures/fish.svg"]


def test_option_values_must_be_whole_numbers_and_distinct():
    bad = SMALL.replace('scale = "yes_no"', 'options = [{label = "A", value = 1}, {label = "B", value = 1}]')
    with pytest.raises(DefinitionError, match="every option needs its own 'value'"):
        parse_toml(bad, "club.toml")
    bad = SMALL.replace('scale = "yes_no"', 'options = [{label = "A", value = "high"}, {label = "B"}]')
    with pytest.raises(DefinitionError, match="'value' must be a whole number"):
        parse_toml(bad, "club.toml")


@pytest.mark.parametrize("path", [*template_files(), EVERY_TYPE], ids=lambda p: p.stem)
def test_export_writes_back_exactly_what_import_reads(path):
    from surveys.questionnaires import load_file, to_toml

    definition = load_file(path)
    again = parse_toml(to_toml(definition), source="exported.toml")
    assert again.fingerprint == definition.fingerprint
    assert [q.fingerprint for q in again.questions] == [q.fingerprint for q in definition.questions]


def test_restarting_keeps_a_leads_edit_of_a_default_questionnaire(db, tmp_path, capsys):
    from surveys.demo import ensure_demo_initiatives

    path = tmp_path / "anew.toml"
    assert main(["questionnaire", "export", "anew-parent-after", "--initiative", "anew", "-o", str(path)]) == 0
    path.write_text(path.read_text().replace("Did you feel listened to?", "Did you feel heard?"))
    assert main(["questionnaire", "import", str(path), "--initiative", "anew"]) == 0
    run(ensure_demo_initiatives())  # what `heard demo` does at every start
    anew = run(by_slug("anew"))
    versions = run(versions_of(run(questionnaire_by_slug(anew["id"], "anew-parent-after"))["id"]))
    assert [v["number"] for v in versions] == [1, 2]
