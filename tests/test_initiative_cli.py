"""``heard initiative``: a fourth initiative from the command line, on a service that starts empty."""

from __future__ import annotations

import re

import pytest

from frontend.cli import main
from surveys import audit
from surveys.initiatives import by_slug
from surveys.tables import Initiative, Response
from tests.support import answer_pages, form_data, hidden_fields, run


def test_a_new_initiative_from_a_pack_is_set_up_answered_and_reported_from_the_cli(empty_client, capsys, tmp_path):
    client = empty_client
    assert main(["initiative", "list"]) == 0 and capsys.readouterr().out == ""  # a new service is empty
    assert main(["initiative", "packs"]) == 0
    assert "generic-children-tablet\tChildren's group with a shared tablet" in capsys.readouterr().out
    assert main(["initiative", "create", "--name", "Together to Thrive", "--from-pack", "generic-parent-group"]) == 0
    said = capsys.readouterr().out
    assert "Made Together to Thrive (from the pack 'Parent and carer group programme')" in said
    assert "heard user add EMAIL --role lead --initiative together-to-thrive" in said
    assert main(["initiative", "list"]) == 0
    assert capsys.readouterr().out == "together-to-thrive\tTogether to Thrive\tgeneric-parent-group\topen\n"
    assert (
        main(
            [
                "session",
                "create",
                "--initiative",
                "together-to-thrive",
                "--questionnaire",
                "parent-group-after-session",
                "--audience",
                "parent",
                "--phase",
                "after",
            ]
        )
        == 0
    )
    token = re.search(r"/s/([0-9A-Z-]+)", capsys.readouterr().out).group(1).replace("-", "")

    page = client.get(f"/s/{token}?lang=pl")
    page = client.post(f"/s/{token}", data=form_data(hidden_fields(page.text), nav="next", lang="pl"))
    page = answer_pages(
        client,
        f"/s/{token}",
        page.text,
        [
            {"enjoyed": "yes"},
            {"child_enjoyed": "partly"},
            {"listened": "yes"},
            {"helpful": "yes"},
            {"best": ""},
            {"better": ""},
        ],
        lang="pl",
    )
    assert page.status_code == 303
    assert run(Response.select(Response.language)) == [{"language": "pl"}]

    out = tmp_path / "summary.docx"
    assert main(["export", "--initiative", "together-to-thrive", "--format", "docx", "-o", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK"
    actions = [e["action"] for e in run(audit.events())]
    assert "initiative created" in actions


def test_rename_and_archive_and_restore(empty_db, capsys):
    assert main(["initiative", "create", "--name", "Youth Voice", "--slug", "youth-voice"]) == 0
    assert main(["initiative", "rename", "youth-voice", "--name", "Youth Voice Angus"]) == 0
    assert run(by_slug("youth-voice"))["name"] == "Youth Voice Angus"
    assert main(["initiative", "archive", "youth-voice"]) == 0
    assert "archived" in capsys.readouterr().out and run(by_slug("youth-voice"))["archived_at"] is not None
    assert main(["initiative", "archive", "youth-voice", "--restore"]) == 0
    assert run(by_slug("youth-voice"))["archived_at"] is None
    assert main(["initiative", "archive", "nope"]) == 2
    assert "no initiative 'nope'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--name", "Youth Voice"], "name: There is already an initiative called Youth Voice"),
        (["--name", "Other", "--slug", "youth-voice"], "slug: The web address 'youth-voice' is already used"),
        (["--name", "Other", "--slug", "Not_URL_safe"], "slug: The web address can only have lower-case letters"),
        (["--name", "Other", "--from-pack", "nonesuch"], "pack: There is no pack called 'nonesuch'"),
    ],
)
def test_bad_input_is_exit_code_2_with_a_message_and_nothing_made(empty_db, capsys, argv, words):
    assert main(["initiative", "create", "--name", "Youth Voice"]) == 0
    capsys.readouterr()
    assert main(["initiative", "create", *argv]) == 2
    assert words in capsys.readouterr().err
    assert run(Initiative.count()) == 1
