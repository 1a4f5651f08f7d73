"""Initiative packs, and initiatives made from them: data, not code.

A fourth initiative (here *Together to Thrive*) is made from a pack without touching Python:
its questionnaires in five languages, its delivery partners, its codebook and its key.
"""

from __future__ import annotations

import shutil

import pytest

from surveys import initiatives, packs
from surveys.demo import DEMO_PACKS
from surveys.errors import InitiativeArchived
from surveys.initiatives import InitiativeError, archive_initiative, create_initiative, rename_initiative
from surveys.keys import keys_dir
from surveys.privacy import notice
from surveys.questionnaires import load_file
from surveys.sessions import create_session
from surveys.tables import DeliveryPartner, Initiative, Questionnaire
from surveys.versions import latest_version, questionnaires_of
from tests.support import run
from voice.codebook_versions import current_codebook

SHIPPED = ("anew", "art-at-the-start", "cmhwf", "generic-children-tablet", "generic-parent-group")


def test_heard_ships_five_packs_each_complete_in_five_languages():
    assert packs.names() == SHIPPED
    for pack in packs.all_packs():
        assert pack.title and pack.about and pack.initiative_name and pack.start_with
        assert pack.codebook_file.is_file()
        audiences = set()
        for slug in pack.questionnaires:
            definition = load_file(pack.questionnaire_file(slug))
            assert definition.slug == slug
            assert definition.languages == ("en", "ar", "pl", "uk", "ur"), (pack.name, slug)
            audiences.add(definition.audience)
        assert "practitioner" in audiences, pack.name  # every pack records what practitioners saw
    generic = packs.get("generic-children-tablet")
    assert {load_file(generic.questionnaire_file(s)).audience for s in generic.start_with} == {"child", "practitioner"}


def test_a_fourth_initiative_is_made_from_a_pack_with_everything_it_needs(db):
    before = run(Initiative.count())
    row = run(create_initiative("Together to Thrive", pack="generic-parent-group"))
    assert (row["slug"], row["name"], row["pack"]) == (
        "together-to-thrive",
        "Together to Thrive",
        "generic-parent-group",
    )
    assert run(Initiative.count()) == before + 1
    made = run(questionnaires_of(row["id"]))
    assert sorted(q["slug"] for q in made) == sorted(packs.get("generic-parent-group").start_with)
    assert all(run(latest_version(q["id"]))["number"] == 1 for q in made)
    assert (keys_dir() / "together-to-thrive.key").is_file()
    codebook = run(current_codebook(row["id"]))
    assert codebook.initiative == "together-to-thrive"
    assert "listened-to" in {t.key for t in codebook.themes}  # the pack's codebook, not a blank one
    blank = run(create_initiative("Youth Voice", pack=None))
    assert notice(blank).controller == "The organisation that runs Youth Voice."  # no council assumed


def test_an_initiative_can_start_blank_and_a_pack_brings_its_partners(db):
    blank = run(create_initiative("Youth Voice Aberdeen", slug="youth-voice"))
    assert blank["pack"] == "" and run(questionnaires_of(blank["id"])) == []
    partnered = run(create_initiative("Wellbeing North", pack="cmhwf"))
    assert run(DeliveryPartner.count().where(DeliveryPartner.initiative == partnered["id"])) == 12
    log = run(
        Questionnaire.select()
        .where((Questionnaire.initiative == partnered["id"]) & (Questionnaire.audience == "practitioner"))
        .first()
    )
    assert log is not None  # saved with the partners filled in


@pytest.mark.parametrize(
    "name, slug, pack, field, words",
    [
        ("", None, None, "name", "Enter the initiative's name"),
        ("ANEW", None, None, "name", "already an initiative called ANEW"),
        ("anew", "anew-2", None, "name", "already an initiative called anew"),  # names differ by case only
        ("Another ANEW", "anew", None, "slug", "already used by another initiative"),
        ("Together", "Together To Thrive", None, "slug", "lower-case letters"),
        ("Together", "together--thrive", None, "slug", "single dashes"),
        ("Together", "admin", None, "slug", "Heard's own pages"),
        ("Together", None, "no-such-pack", "pack", "no pack called 'no-such-pack'"),
        ("!!!", None, None, "slug", "Enter a short web address"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_the_problem(db, name, slug, pack, field, words):
    before = run(Initiative.count())
    with pytest.raises(InitiativeError) as refused:
        run(create_initiative(name, slug=slug, pack=pack))
    assert field in refused.value.errors and words in refused.value.errors[field]
    assert run(Initiative.count()) == before


def test_a_pack_with_a_broken_file_makes_nothing(db, tmp_path, monkeypatch):
    shutil.copytree(packs.FOLDER / "generic-parent-group", tmp_path / "broken")
    (tmp_path / "broken" / "questionnaires" / "parent-group-before-and-now.toml").write_text(
        'slug = "parent-group-before-and-now"\ntitle = "Before and now"\naudience = "parent"\n'
        '[[questions]]\nkey = "confidence"\ntype = "pair"\ntext = "How confident?"\n'
    )  # no scale
    monkeypatch.setattr(packs, "FOLDER", tmp_path)
    packs.get.cache_clear()
    try:
        before = (run(Initiative.count()), run(Questionnaire.count()))
        with pytest.raises(InitiativeError) as refused:
            run(create_initiative("Together to Thrive", pack="broken"))
        assert "parent-group-before-and-now.toml" in refused.value.errors["pack"]
        assert (run(Initiative.count()), run(Questionnaire.count())) == before
    finally:
        packs.get.cache_clear()


def test_renaming_keeps_the_web_address_and_archiving_stops_new_sessions_until_restored(db):
    row = run(create_initiative("Together to Thrive", pack="generic-children-tablet"))
    renamed = run(rename_initiative("together-to-thrive", "Together to Thrive Dundee"))
    assert (renamed["slug"], renamed["name"]) == ("together-to-thrive", "Together to Thrive Dundee")
    with pytest.raises(InitiativeError, match="already an initiative called ANEW"):
        run(rename_initiative("together-to-thrive", "ANEW"))
    version = run(latest_version(run(questionnaires_of(row["id"]))[0]["id"]))
    assert run(archive_initiative("together-to-thrive"))["archived_at"] is not None
    with pytest.raises(InitiativeArchived):
        run(create_session(row["id"], version["id"], audience="child", phase="before"))
    assert run(archive_initiative("together-to-thrive", archived=False))["archived_at"] is None
    assert run(create_session(row["id"], version["id"], audience="child", phase="before"))["token"]


def test_an_upgraded_database_marks_its_three_initiatives_as_made_from_their_packs(db):
    import importlib

    anew = run(initiatives.by_slug("anew"))
    shipped = [q["slug"] for q in run(questionnaires_of(anew["id"]))]
    run(
        Initiative.update({Initiative.pack: "", Initiative.privacy_controller: ""}).where(
            Initiative.slug.is_in(list(DEMO_PACKS))
        )
    )  # as a database from before packs
    migration = importlib.import_module("migrations.surveys.surveys_2026_12_02t19_40_01_000000")
    run(run(migration.forwards()).raw[0]())
    rows = run(
        Initiative.select(Initiative.slug, Initiative.pack, Initiative.privacy_controller).where(
            Initiative.slug.is_in(list(DEMO_PACKS))
        )
    )
    assert {r["slug"]: r["pack"] for r in rows} == {s: s for s in DEMO_PACKS}
    # The notice people read is word for word what it was when the council was a default in code.
    assert {r["privacy_controller"] for r in rows} == {"Dundee City Council (Children and Families Service)."}
    assert [q["slug"] for q in run(questionnaires_of(anew["id"]))] == shipped  # nothing else changed
