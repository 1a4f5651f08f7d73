"""Lead pages for privacy (``/lead/{slug}/...``): participant cards, erasure, the privacy notice.

Every route declares its access in ``opt`` (:mod:`frontend.core.access`), scoped to the initiative
in its path, like the rest of the lead pages. Nothing here
stores a participant code: cards are printed from fresh random codes and forgotten, and an
erasure turns the typed code into its pseudonym only to find the rows to delete.
"""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from frontend.core import access
from frontend.core.access import signed_in_account
from frontend.core.numbers import whole_number
from frontend.core.rendering import NO_STORE, page
from frontend.documents.printing import ParticipantCard, participant_cards_context, participant_cards_pdf
from frontend.lead.confirm import unless_confirmed
from frontend.lead.initiatives import current_account
from surveys import audit, erasure, privacy, pseudonyms

MAX_CARDS = 400  # fifty A4 sheets: more than any initiative prints at once
DEFAULT_CARDS = 24


def new_cards(initiative_name: str, base_url: str, count: int) -> list[ParticipantCard]:
    """``count`` cards with fresh random codes; the QR opens ``/c/{code}``. Nothing is stored."""
    cards = []
    for _ in range(count):
        code = pseudonyms.display(pseudonyms.new_code())
        cards.append(ParticipantCard(initiative_name, code, f"{base_url}/c/{code}"))
    return cards


def card_count(raw: str | None) -> int | None:
    return whole_number(raw, 1, MAX_CARDS)


class PrivacyPages(Controller):
    opt = access.initiative("lead")
    path = "/lead/{slug:str}"
    include_in_schema = False

    @get("/codes")
    async def codes(self, request: Request, slug: FromPath[str]) -> Template | Response:
        initiative = request.state.initiative
        account = await signed_in_account(request)
        raw = request.query_params.get("count")
        if raw is None:
            return page(request, "lead/codes.html", account=account, initiative=initiative,
                        count=DEFAULT_CARDS, error=None, maximum=MAX_CARDS)
        count = card_count(raw)
        if count is None:
            return page(request, "lead/codes.html", status=422, account=account, initiative=initiative,
                        count=raw, error=f"Enter a number of cards from 1 to {MAX_CARDS}", maximum=MAX_CARDS)
        cards = new_cards(initiative["name"], request.app.state.settings.base_url, count)
        await audit.cards_printed(initiative["id"], count, actor=account.email)
        if request.query_params.get("format") == "html":
            return Template(template_name="print/participant_cards.html", headers=NO_STORE,
                            context=participant_cards_context(cards))
        return Response(
            participant_cards_pdf(cards),
            media_type="application/pdf",
            headers={**NO_STORE, "Content-Disposition": f'attachment; filename="heard-{slug}-participant-cards.pdf"'},
        )

    @get("/erase")
    async def erase_form(self, request: Request, slug: FromPath[str]) -> Template:
        return page(request, "lead/erase.html", account=await current_account(request),
                    initiative=request.state.initiative, error=None, erased=None)

    @post("/erase", status_code=200)
    async def erase(self, request: Request, slug: FromPath[str]) -> Template:
        initiative = request.state.initiative
        account = await signed_in_account(request)
        form = await request.form()
        typed = str(form.get("code") or "").strip()[:40]
        if pseudonyms.normalise(typed) is None:
            return page(request, "lead/erase.html", status=422, account=account, initiative=initiative,
                        error="Enter the participant code exactly as it is on the card, like ABCD-2345-X",
                        erased=None)
        ask = await unless_confirmed(
            request, question="Delete everything answered with this participant code?",
            consequences="Every answer given with the code, and any quotes, themes and voice notes from them, "
            "will be deleted for good. This cannot be undone.",
            note="The deletion is recorded in the audit log with how many responses went, never the code.",
            button="Yes, delete these answers", back=f"/lead/{slug}/erase",
        )
        if ask is not None:
            return ask
        erased = await erasure.erase(slug, typed, actor=account.email)
        # The code is not sent back: the page says only how many responses went.
        return page(request, "lead/erase.html", account=account, initiative=initiative, error=None,
                    erased=erased)

    @get("/privacy")
    async def privacy_form(self, request: Request, slug: FromPath[str]) -> Template:
        initiative = request.state.initiative
        return page(request, "lead/privacy.html", account=await current_account(request), initiative=initiative,
                    values=initiative, notice=privacy.notice(initiative), errors={},
                    saved=request.query_params.get("saved") == "1", lowest=5)

    @post("/privacy", status_code=200)
    async def save_privacy(self, request: Request, slug: FromPath[str]) -> Template | Redirect:
        initiative = request.state.initiative
        account = await signed_in_account(request)
        form = await request.form()
        values = {k: str(form.get(k) or "") for k in (*privacy.FIELDS, "suppression_threshold", "retention_months")}
        try:
            await privacy.save_settings(initiative, values, actor=account.email)
        except privacy.InvalidPrivacySettings as e:
            return page(request, "lead/privacy.html", status=422, account=account, initiative=initiative,
                        values=values, notice=privacy.notice(initiative), errors=e.errors, saved=False, lowest=5)
        return Redirect(f"/lead/{slug}/privacy?saved=1", status_code=303)
