"""Every destructive action asks first: one press of its button shows what will be lost and
destroys nothing; only the confirmation page's own button (confirm=yes) goes ahead."""

from __future__ import annotations

import pytest

from surveys import tokens
from surveys.pseudonyms import display, new_code
from surveys.tables import Comparison, DeliveryPartner, Initiative, Response, Session, ShareLink
from tests.security import matrix
from tests.support import run
from voice.tables import StopName, VoiceNote


@pytest.fixture
def world(client):
    return matrix.make_world(client)


CODE = display(new_code())


def _state():
    return (
        run(Response.count()),
        run(Session.count()),
        run(Comparison.count()),
        run(DeliveryPartner.count()),
        run(StopName.count()),
        run(VoiceNote.count()),
        run(ShareLink.count().where(ShareLink.revoked_at.is_null())),
        run(Initiative.count().where(Initiative.archived_at.is_not_null())),
    )


def test_each_destructive_button_asks_first_and_destroys_nothing(world):
    s = world.samples
    fresh = run(Session.select(Session.token).where(Session.id == s[("session", "anew")]).first())["token"]
    # A session nobody has answered, so deleting it would really go ahead.
    unanswered = run(
        Session.insert(
            Session(
                initiative=run(Initiative.select(Initiative.id).where(Initiative.slug == "anew").first())["id"],
                questionnaire_version=run(
                    Session.select(Session.questionnaire_version).where(Session.token == fresh).first()
                )["questionnaire_version"],
                token="QQQQQQQQQQQQQ",
                audience="parent",
            )
        )
    )
    assert unanswered
    actions = [
        ("lead", "/lead/anew/erase", {"code": CODE}),
        ("lead", "/lead/anew/codebook/themes/listened-to/remove", {}),
        ("lead", f"/lead/anew/stop-list/{s[('stop_name', 'anew')]}/remove", {}),
        ("lead", f"/lead/anew/voice-notes/{s[('voice_note', 'anew')]}/delete", {}),
        ("lead", f"/lead/anew/reach/comparisons/{s[('comparison', 'anew')]}/remove", {}),
        ("lead", f"/lead/anew/reach/partners/{s[('delivery_partner', 'anew')]}/remove", {}),
        ("lead", f"/lead/anew/summary/share/{s[('share_link', 'anew')]}/revoke", {}),
        ("lead", f"/lead/anew/sessions/{tokens.display('QQQQQQQQQQQQQ')}/delete", {}),
        ("admin", "/lead/admin/initiatives/anew/archive", {"archived": "yes"}),
    ]
    before = _state()
    for who, path, data in actions:
        asked = world.request(who, "POST", path, data)
        assert asked.status_code == 200, (path, asked.status_code)
        assert 'name="confirm" value="yes"' in asked.text and "button--warning" in asked.text, path
        assert f'action="{path}"' in asked.text, path  # the same form, sent again
        for name, value in data.items():
            assert f'name="{name}" value="{value}"' in asked.text, (path, name)
        assert _state() == before, path
    # Confirmed, each one goes ahead: here the session nobody answered.
    gone = world.request(
        "lead", "POST", f"/lead/anew/sessions/{tokens.display('QQQQQQQQQQQQQ')}/delete", {"confirm": "yes"}
    )
    assert gone.status_code == 303 and run(Session.count()) == before[1] - 1
