"""Participant codes on the respondent journey.

Respondents: the parent's first page has an optional "participant code" field (a card's QR fills
it in through ``/c/{code}`` or ``?code=``); the kiosk offers an optional picture code page. The
typed code is turned into the initiative's keyed pseudonym on the first POST and only the
pseudonym travels on in the hidden fields; the code itself is never stored or logged, and no
later page repeats it.

The lead's privacy pages (cards, erasure, the notice) are in :mod:`frontend.lead.privacy`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from litestar import Controller, Request, get
from litestar.datastructures import FormMultiDict
from litestar.exceptions import ClientException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from frontend.core import access
from frontend.core.rendering import PRIVATE_PAGE, language_of, page
from frontend.respondent.journeys import KIOSK
from surveys import pseudonyms, tokens
from surveys.sessions import open_session

CODE_FIELD = "participant_code"
PICTURE_FIELDS = ("picture1", "picture2", "picture3")
CARRIED_FIELD = "pseudonym"

INVALID_CODE = "Check your participant code: it has 9 letters and numbers, like ABCD-2345-X, as on your card"
# Raised for a form whose hidden state was not what this service sent (errors.py translates it).
OUT_OF_DATE = "This form is out of date. Please start again."
INVALID_PICTURES = "Choose one picture in each row, or go back and start without a picture code"


@dataclass(frozen=True)
class CodeProblem:
    template: str  # the page to show again
    message: str
    typed: str


def pseudonym_from(form: FormMultiDict, initiative_slug: str,
                   submission_id: str) -> tuple[str | None, CodeProblem | None]:
    """The pseudonym a respondent's form gives (a typed code, a picture code, or one carried
    from an earlier page), or the problem to show when what was typed is not a valid code.

    A carried pseudonym must carry the tag this service gave it for this submission
    (:func:`surveys.pseudonyms.carried`); a made-up or altered one is refused, and nothing is
    stored."""
    typed = str(form.get(CODE_FIELD) or "").strip()[:40]
    if typed:
        if pseudonyms.normalise(typed) is None:
            return None, CodeProblem("respond/code.html", INVALID_CODE, typed)
        return pseudonyms.pseudonym(initiative_slug, typed), None
    chosen = [str(form.get(name) or "") for name in PICTURE_FIELDS]
    if any(chosen) or form.get("picture_code"):
        try:
            code = pseudonyms.picture_code(chosen)
        except pseudonyms.InvalidCode:
            return None, CodeProblem("kiosk/code.html", INVALID_PICTURES, "")
        return pseudonyms.pseudonym(initiative_slug, code), None
    carried = str(form.get(CARRIED_FIELD) or "")
    if not carried:
        return None, None
    try:
        return pseudonyms.from_carried(initiative_slug, carried, submission_id), None
    except pseudonyms.ForgedPseudonym:
        raise ClientException(OUT_OF_DATE) from None


def prefilled_code(request: Request) -> str:
    """A valid code from ``?code=`` (a scanned card), shown in the field; anything else is dropped."""
    code = pseudonyms.normalise(request.query_params.get("code") or "")
    return pseudonyms.display(code) if code and not code.startswith(pseudonyms.PICTURE_PREFIX) else ""


@get("/c/{code:str}", include_in_schema=False, opt=access.respondent())
async def participant_card(request: Request, code: FromPath[str]) -> Template | Redirect:
    """Where a participant card's QR leads: keep the code on screen and open today's form with it.

    Nothing is stored; the code only travels on to the form's first page, in its address.
    """
    canonical = pseudonyms.normalise(code)
    if canonical is None or canonical.startswith(pseudonyms.PICTURE_PREFIX):
        return page(request, "respond/card.html", status=404, code=None, error=None, headers=PRIVATE_PAGE)
    shown = pseudonyms.display(canonical)
    typed_session = str(request.query_params.get("session") or "").strip()
    if typed_session:
        token = tokens.normalise(typed_session)
        if token is not None:
            try:
                await open_session(token)
            except Exception:  # noqa: BLE001 - closed, not yet open or unknown: all "check it"
                token = None
        if token is not None:
            language = language_of(request)
            return Redirect(f"/s/{token}?code={canonical}&lang={language.code}", status_code=303,
                            headers=PRIVATE_PAGE)
        return page(request, "respond/card.html", status=422, code=shown, typed_session=typed_session,
                    error="Check the code from the poster or invitation: it is 13 letters and numbers",
                    headers=PRIVATE_PAGE)
    return page(request, "respond/card.html", code=shown, typed_session="", error=None, headers=PRIVATE_PAGE)


class KioskCodePage(Controller):
    """The kiosk's optional picture code: three pictures a child remembers instead of a card."""

    path = "/k"
    include_in_schema = False

    @get("/{token:str}/code")
    async def picture_code(self, request: Request, token: FromPath[str]) -> Template:
        session = await open_session(token)
        return page(request, "kiosk/code.html", headers=PRIVATE_PAGE, session=session, journey=KIOSK,
                    pictures=pseudonyms.pictures(), submission_id=str(uuid.uuid4()), code_error=None)
