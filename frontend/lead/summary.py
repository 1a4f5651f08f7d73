"""The lead's partner summary page: filters, downloads, and making and revoking shared links.

``/lead/{slug}/summary`` declares the same initiative scope as every lead page
(:mod:`frontend.core.access`); what a
partner sees at a shared link is :mod:`frontend.partner.shared`.

Themes and quotes come from ``app.state.summary_themes`` when the app wires one in (an async
callable ``(initiative_id, filters) -> [ThemeInput]``); without it the summary has none.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from frontend.core import access
from frontend.core.access import signed_in_account
from frontend.core.numbers import required_number
from frontend.core.rendering import language_of, page
from frontend.documents.summary import document
from frontend.documents.summary_files import FORMATS, export, filename
from frontend.documents.summary_themes import themes_of
from frontend.lead.confirm import unless_confirmed
from frontend.lead.initiatives import current_account
from surveys import audit, sharing
from surveys.summary import Filters, build_summary
from surveys.tables import Session
from surveys.versions import questionnaires_of

DOWNLOADS = (
    ("docx", "Word (DOCX)"),
    ("pdf", "PDF"),
    ("html", "Web page (HTML)"),
    ("xlsx", "Data (Excel)"),
    ("csv", "Data (CSV)"),
)


def _filters(request: Request) -> tuple[Filters, str | None]:
    try:
        return Filters.from_dict(dict(request.query_params)), None
    except ValueError as e:
        return Filters(), str(e)


def _querystring(filters: Filters) -> str:
    query = urlencode(filters.as_dict())
    return f"?{query}" if query else ""


class SummaryPages(Controller):
    opt = access.initiative("viewer")
    path = "/lead/{slug:str}/summary"
    include_in_schema = False

    @get("/")
    async def summary(self, request: Request, slug: FromPath[str]) -> Template:
        return await self._page(request)

    async def _page(self, request: Request, *, new_link: str | None = None) -> Template:
        initiative = request.state.initiative
        filters, error = _filters(request)
        language = language_of(request)
        summary = await build_summary(initiative, filters, themes=themes_of(request))
        links = await sharing.links_of(initiative["id"])
        now = dt.datetime.now(dt.UTC)
        for link in links:
            link["expired"] = link["expires_at"] <= now
        sites = await Session.select(Session.site).where(Session.initiative == initiative["id"]).distinct()
        return page(
            request,
            "summary/lead.html",
            status=400 if error else 200,
            language=language,
            account=await current_account(request),
            initiative=initiative,
            doc=document(summary, language),
            filters=filters,
            query=filters.as_dict(),
            querystring=_querystring(filters),
            questionnaires=await questionnaires_of(initiative["id"]),
            sites=sorted({row["site"] for row in sites if row["site"]}),
            downloads=[(fmt, language.gettext(label)) for fmt, label in DOWNLOADS],
            links=links,
            new_link=new_link,
            error=error,
        )

    @get("/download/{fmt:str}", opt=access.initiative("lead", names=("fmt",)))
    async def download(self, request: Request, slug: FromPath[str], fmt: FromPath[str]) -> Response:
        if fmt not in FORMATS:
            raise NotFoundException()
        initiative = request.state.initiative
        filters, error = _filters(request)
        if error:
            raise ValidationException(error)
        body = await export(initiative, fmt, filters, themes=themes_of(request), language=language_of(request))
        await audit.summary_exported(initiative["id"], fmt, urlencode(filters.as_dict()),
                                     actor=(await signed_in_account(request)).email)
        return Response(body, media_type=FORMATS[fmt], headers={
            "Content-Disposition": f'attachment; filename="{filename(slug, fmt)}"',
            "Cache-Control": "no-store",
        })

    @post("/share", status_code=200, opt=access.initiative("lead"))
    async def share(self, request: Request, slug: FromPath[str]) -> Template:
        initiative = request.state.initiative
        form = await request.form()
        filters, error = _filters(request)
        if error:  # never share everything in place of what was asked for
            raise ValidationException(error)
        email = (await signed_in_account(request)).email
        try:
            days = required_number(str(form.get("days") or "30"), "days", 1, sharing.MAX_DAYS)
            token, _ = await sharing.create_link(
                initiative["id"], filters, days=days, label=str(form.get("label", "")), created_by=email, actor=email,
            )
        except ValueError as e:
            raise ValidationException(str(e)) from None
        base = request.app.state.settings.base_url.rstrip("/")
        return await self._page(request, new_link=f"{base}/shared/{token}")

    @post("/share/{link_id:int}/revoke", status_code=303, opt=access.initiative("lead", link_id="share_link"))
    async def revoke(self, request: Request, slug: FromPath[str], link_id: FromPath[int]) -> Template | Redirect:
        initiative = request.state.initiative
        ask = await unless_confirmed(
            request, question="Stop this shared link working?",
            consequences="Anyone who opens it from now on sees that it has been withdrawn. You can make a new "
            "link at any time.", button="Yes, stop the link", back=f"/lead/{slug}/summary/#share")
        if ask is not None:
            return ask
        if not await sharing.revoke(initiative["id"], link_id, actor=(await signed_in_account(request)).email):
            raise NotFoundException()
        return Redirect(f"/lead/{slug}/summary/#share", status_code=303)
