"""An initiative's privacy notice and privacy settings: what a lead fills in, and safe defaults.

The notice answers what UK GDPR Articles 13 and 14 ask of it (who the controller is, why the
answers are collected, the lawful basis, how long they are kept, who to contact, what rights
people have), in plain words. A lead fills in each part for their initiative; until they do, the
wording below is shown, written for Dundee's initiatives, so no respondent ever sees a blank.
Leads may raise the suppression threshold but never set it below 5, and may shorten or lengthen
the retention period within 1 to 120 months.
"""

from __future__ import annotations

from dataclasses import dataclass

from surveys import audit, text
from surveys.disclosure import HIGHEST_THRESHOLD, LOWEST_THRESHOLD, check_threshold, is_quotable
from surveys.errors import SurveyError
from surveys.tables import Initiative

FIELDS = ("privacy_controller", "privacy_purpose", "privacy_lawful_basis", "privacy_contact", "privacy_rights")
FIELD_LIMIT = 2000
RETENTION_RANGE = (1, 120)

# Wording for blanks. An initiative made from a pack starts with the pack's own wording instead
# (e.g. its council as controller), which its lead can change.
DEFAULT_CONTROLLER = "The organisation that runs {initiative}."
DEFAULT_PURPOSE = "To find out what is working for the children and families {initiative} works with, and what to change. Answers are counted together for reports to the service and its partners."
DEFAULT_LAWFUL_BASIS = "Public task (UK GDPR Article 6(1)(e)): the council's duties to support children and families. Anything you write about health is kept under Article 9(2)(g) and the Data Protection Act 2018."
DEFAULT_RIGHTS = "You can ask to see your answers, to correct them, or to have them deleted (give us your participant code, if you used one). You can complain to the Information Commissioner's Office: ico.org.uk, 0303 123 1113."


class InvalidPrivacySettings(SurveyError):
    """Settings a lead entered that are not allowed; ``errors`` maps each field to why."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class PrivacyNotice:
    controller: str
    purpose: str
    lawful_basis: str
    retention_months: int
    contact: str
    rights: str
    suppression_threshold: int


def notice(initiative: dict) -> PrivacyNotice:
    """The notice to show for an initiative row: the lead's wording, or the defaults for blanks."""
    def given(field: str, default: str) -> str:
        return (initiative.get(field) or "").strip() or default

    return PrivacyNotice(
        controller=given("privacy_controller", DEFAULT_CONTROLLER.format(initiative=initiative["name"])),
        purpose=given("privacy_purpose", DEFAULT_PURPOSE.format(initiative=initiative["name"])),
        lawful_basis=given("privacy_lawful_basis", DEFAULT_LAWFUL_BASIS),
        retention_months=initiative["retention_months"],
        contact=given("privacy_contact", initiative.get("contact") or ""),
        rights=given("privacy_rights", DEFAULT_RIGHTS),
        suppression_threshold=initiative["suppression_threshold"],
    )


def check_settings(values: dict[str, str]) -> dict:
    """Turn a lead's form into column values, or raise InvalidPrivacySettings."""
    errors: dict[str, str] = {}
    out: dict = {}
    for field in FIELDS:
        try:
            wording = text.wording(values.get(field) or "", "This part of the notice")
        except text.UnsafeText as error:
            errors[field], wording = str(error), ""
        if len(wording) > FIELD_LIMIT:
            errors[field] = f"Keep this under {FIELD_LIMIT} characters"
        out[field] = wording
    try:
        threshold = int(str(values.get("suppression_threshold", "")).strip())
        out["suppression_threshold"] = check_threshold(threshold)
    except (TypeError, ValueError):
        errors["suppression_threshold"] = f"Enter a whole number from {LOWEST_THRESHOLD} to {HIGHEST_THRESHOLD}"
    try:
        months = int(str(values.get("retention_months", "")).strip())
        if not RETENTION_RANGE[0] <= months <= RETENTION_RANGE[1]:
            raise ValueError
        out["retention_months"] = months
    except (TypeError, ValueError):
        errors["retention_months"] = f"Enter a whole number of months from {RETENTION_RANGE[0]} to {RETENTION_RANGE[1]}"
    if errors:
        raise InvalidPrivacySettings(errors)
    return out


async def save_settings(initiative: dict, values: dict[str, str], *, actor: str) -> dict:
    """Check and store a lead's privacy settings; audited with what changed (names, not text)."""
    checked = check_settings(values)
    changed = [k for k, v in checked.items() if initiative.get(k) != v]
    if changed:
        await Initiative.update({getattr(Initiative, k): v for k, v in checked.items()}).where(
            Initiative.id == initiative["id"]
        )
        summary = ", ".join(
            f"{k}={checked[k]}" if k in ("suppression_threshold", "retention_months") else k for k in changed
        )
        await audit.record("privacy settings changed", actor=actor, initiative_id=initiative["id"],
                           detail=summary)
    row = await Initiative.select().where(Initiative.id == initiative["id"]).first()
    assert row is not None
    return row


def quotes_allowed(initiative: dict, group_size: int) -> bool:
    """Whether a quote may be shown for a group of ``group_size`` in this initiative: never when
    the group is below the initiative's suppression threshold (see ``disclosure.is_quotable``)."""
    return is_quotable(group_size, initiative["suppression_threshold"])
