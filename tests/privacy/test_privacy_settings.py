"""Privacy settings a lead may choose, and the quote rule that follows the threshold."""

from __future__ import annotations

import pytest

from surveys import privacy

INITIATIVE = {"name": "ANEW", "contact": "ANEW team", "retention_months": 24, "suppression_threshold": 10}
FORM = {"privacy_controller": " ", "retention_months": "24", "suppression_threshold": "10"}


@pytest.mark.parametrize("threshold", ["4", "0", "-10", "ten", ""])
def test_the_threshold_is_never_below_five(threshold):
    with pytest.raises(privacy.InvalidPrivacySettings) as caught:
        privacy.check_settings({**FORM, "suppression_threshold": threshold})
    assert "suppression_threshold" in caught.value.errors


@pytest.mark.parametrize("months", ["0", "121", "soon"])
def test_retention_is_between_one_and_120_months(months):
    with pytest.raises(privacy.InvalidPrivacySettings) as caught:
        privacy.check_settings({**FORM, "retention_months": months})
    assert set(caught.value.errors) == {"retention_months"}


def test_good_settings_are_trimmed_and_kept():
    checked = privacy.check_settings({**FORM, "suppression_threshold": "5", "privacy_purpose": " To learn. "})
    assert checked["suppression_threshold"] == 5 and checked["privacy_purpose"] == "To learn."
    assert checked["privacy_controller"] == ""


def test_blank_parts_of_the_notice_get_default_wording():
    notice = privacy.notice({**INITIATIVE, "privacy_purpose": "Our own purpose."})
    assert notice.purpose == "Our own purpose."
    assert notice.controller and notice.lawful_basis and notice.rights
    assert notice.contact == "ANEW team" and notice.retention_months == 24


def test_quotes_follow_the_initiatives_threshold():
    assert not privacy.quotes_allowed(INITIATIVE, 9)
    assert privacy.quotes_allowed(INITIATIVE, 10)
    assert not privacy.quotes_allowed({**INITIATIVE, "suppression_threshold": 15}, 12)
