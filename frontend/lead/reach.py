"""Lead pages for reach and comparisons (``/lead/{slug}/reach``).

A lead picks a period and sees the reach figures partners quote, each with where it comes from;
sees the headline measures with any outside comparison figure beside them, and adds or removes
those; and keeps the initiative's list of delivery partners (the organisations practitioner logs
offer). Every figure here has been through small-number suppression in :mod:`surveys`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from frontend.core import access
from frontend.core.rendering import language_of, page
from frontend.documents.summary import Words, headline_lines
from frontend.lead.confirm import unless_confirmed
from frontend.lead.initiatives import current_account
from surveys.comparisons import (
    ComparisonError,
    add_comparison,
    measure_names,
    remove_comparison,
)
from surveys.practitioners import PartnerError, add_partner, partners_of, remove_partner, uses_partners
from surveys.reach import Period
from surveys.summary import Filters, build_summary
from surveys.versions import definition_of, latest_version, questionnaires_of

EDITORS = ("admin", "lead")


def _date(typed: str | None, field: str, errors: dict[str, str]) -> dt.date | None:
    typed = (typed or "").strip()
    if not typed:
        return None
    try:
        return dt.date.fromisoformat(typed)
    except ValueError:
        errors[field] = "Enter a real date, like 2026-09-30"
        return None


def period_from(query: Any) -> tuple[Period, dict[str, str], dict[str, str]]:
    """The period asked for in the query string, with any errors and the text as typed."""
    typed = {"from": query.get("from", ""), "to": query.get("to", "")}
    errors: dict[str, str] = {}
    start, end = _date(typed["from"], "from", errors), _date(typed["to"], "to", errors)
    if start and end and start > end:
        errors["to"] = "The end date must be the same as or after the start date"
    if errors:
        return Period(), errors, typed
    return Period(start, end), errors, typed


async def _offers_partners(initiative_id: int) -> bool:
    for q in await questionnaires_of(initiative_id):
        version = await latest_version(q["id"])
        if version and uses_partners(await definition_of(version["id"], version["fingerprint"])):
            return True
    return False


async def _may_edit(request: Request) -> bool:
    account = await current_account(request)
    return account is not None and account.role in EDITORS


class ReachPages(Controller):
    opt = access.initiative("lead")
    path = "/lead/{slug:str}/reach"
    include_in_schema = False

    async def _render(self, request: Request, *, status: int = 200, comparison_errors: dict | None = None,
                      comparison_form: dict | None = None, partner_errors: dict | None = None,
                      partner_form: dict | None = None) -> Template:
        initiative = request.state.initiative
        threshold = initiative["suppression_threshold"]
        period, period_errors, typed = period_from(request.query_params)
        # The headlines exactly as the summary for this period gives them (same people counted,
        # same suppression, same rounding, same comparison), so no page shows what another hides;
        # the reach figures and comparisons are the summary's own, counted once.
        summary = await build_summary(initiative, Filters(date_from=period.start, date_to=period.end))
        figures, comparisons = summary.reach, summary.comparisons
        measures = await measure_names(initiative["id"])  # the form names them; the lines above count them
        lines = [{"line": line} for line in headline_lines(summary, Words(language_of(request), threshold))]
        labels = {m.key: m.label for m in measures}
        offers_partners = await _offers_partners(initiative["id"])
        return page(
            request,
            "lead/reach.html",
            status=422 if (comparison_errors or partner_errors) else 400 if period_errors else status,
            account=await current_account(request),
            initiative=initiative,
            threshold=threshold,
            reach=figures,
            period_errors=period_errors,
            typed=typed,
            lines=lines,
            comparisons=[(c, labels.get(c.measure_key, c.measure_key)) for c in comparisons],
            measures=measures,
            comparison_errors=comparison_errors or {},
            comparison_form=comparison_form or {},
            partners=await partners_of(initiative["id"]) if offers_partners else None,
            partner_errors=partner_errors or {},
            partner_form=partner_form or {},
            may_edit=await _may_edit(request),
        )

    async def _editor(self, request: Request) -> str:
        account = await current_account(request)
        if account is None or account.role not in EDITORS:
            raise PermissionDeniedException("Only a lead can change this.")
        return account.email

    @get("/", opt=access.initiative("viewer"))
    async def show(self, request: Request, slug: FromPath[str]) -> Template:
        return await self._render(request)

    @post("/comparisons", status_code=200)
    async def add_comparison(self, request: Request, slug: FromPath[str]) -> Template | Redirect:
        actor = await self._editor(request)
        initiative = request.state.initiative
        form = await request.form()
        typed = {k: str(form.get(k, "")) for k in ("measure", "value", "description", "source", "year")}
        known = {m.key for m in await measure_names(initiative["id"])}
        try:
            await add_comparison(initiative["id"], typed["measure"], typed["value"], typed["description"],
                                 typed["source"], typed["year"], known, actor=actor)
        except ComparisonError as e:
            return await self._render(request, comparison_errors=e.errors, comparison_form=typed)
        return Redirect(f"/lead/{slug}/reach/#comparisons", status_code=303)

    @post("/comparisons/{comparison_id:int}/remove", status_code=303, opt=access.initiative("lead", comparison_id="comparison"))
    async def remove_comparison(self, request: Request, slug: FromPath[str], comparison_id: FromPath[int]) -> Template | Redirect:
        actor = await self._editor(request)
        ask = await unless_confirmed(
            request, question="Remove this comparison figure?",
            consequences="It stops appearing beside its measure on this page and in every summary and shared "
            "link.", button="Yes, remove it", back=f"/lead/{slug}/reach/#comparisons")
        if ask is not None:
            return ask
        initiative = request.state.initiative
        await remove_comparison(initiative["id"], comparison_id, actor=actor)
        return Redirect(f"/lead/{slug}/reach/#comparisons", status_code=303)

    @post("/partners", status_code=200)
    async def add_partner(self, request: Request, slug: FromPath[str]) -> Template | Redirect:
        actor = await self._editor(request)
        initiative = request.state.initiative
        form = await request.form()
        name = str(form.get("name", ""))
        try:
            await add_partner(initiative["id"], name, actor=actor)
        except PartnerError as e:
            return await self._render(request, partner_errors={"name": str(e)}, partner_form={"name": name})
        return Redirect(f"/lead/{slug}/reach/#partners", status_code=303)

    @post("/partners/{partner_id:int}/remove", status_code=200, opt=access.initiative("lead", partner_id="delivery_partner"))
    async def remove_partner(self, request: Request, slug: FromPath[str], partner_id: FromPath[int]) -> Template | Redirect:
        actor = await self._editor(request)
        ask = await unless_confirmed(
            request, question="Remove this delivery partner?",
            consequences="Practitioners can no longer choose it on their forms. A partner that forms already "
            "name can't be removed.", button="Yes, remove it", back=f"/lead/{slug}/reach/#partners")
        if ask is not None:
            return ask
        initiative = request.state.initiative
        try:
            await remove_partner(initiative["id"], partner_id, actor=actor)
        except PartnerError as e:
            return await self._render(request, partner_errors={"name": str(e)})
        return Redirect(f"/lead/{slug}/reach/#partners", status_code=303)
