"""A lead browses single responses (``/lead/{slug}/responses/``), deletes one, and downloads the
wide table (one row per response).

All of it is raw data, so every route needs a lead: viewers read summaries only, as with
``responses.csv``. The list shows when, which questionnaire, where and who answered; never a
participant code, a pseudonym or any answer. A response's page shows its answers as the labels
people chose, and free text only as stored (redacted on arrival).
"""

from __future__ import annotations

from urllib.parse import urlencode

from babel import Locale, UnknownLocaleError
from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath
from litestar.response import Redirect, Stream, Template

from frontend.core import access
from frontend.core.access import signed_in_account
from frontend.core.numbers import whole_number
from frontend.core.rendering import NO_STORE, page
from frontend.core.session_links import show_time
from frontend.documents.wide_files import wide_csv, wide_xlsx
from frontend.lead.initiatives import _started, current_account
from frontend.lead.summary import _filters
from surveys import audit, browse, erasure
from surveys.errors import NotFound
from surveys.summary import Filters
from surveys.versions import questionnaires_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Response doesn't record the device; who a session is for says how they answered.
WAYS = (
    ("parent", "Parents and carers, on the form (phone or computer)"),
    ("child", "Children, on the tablet"),
    ("practitioner", "Practitioners, on their form"),
)
RESPONSE = access.initiative("lead", response_id="response")


def _query(filters: Filters, **extra) -> str:
    query = urlencode({**filters.as_dict(), **{k: v for k, v in extra.items() if v}})
    return f"?{query}" if query else ""


def _page_number(raw: str | None) -> int:
    return whole_number(raw, 1, 10**6) or 1


def language_name(code: str) -> str:
    """ "Polish" for "pl": the language a person answered in, named in English for the lead."""
    try:
        return Locale.parse(code).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        return code


def pagination(number: int, pages: int) -> list[int | None]:
    """The page numbers to link to (GOV.UK pattern): first, last, this one and its neighbours;
    None where numbers are left out (shown as an ellipsis)."""
    shown = sorted({1, pages, number - 1, number, number + 1} & set(range(1, pages + 1)))
    out: list[int | None] = []
    for i, n in enumerate(shown):
        if i and n - shown[i - 1] > 1:
            out.append(None)
        out.append(n)
    return out


class ResponsePages(Controller):
    path = "/lead/{slug:str}"
    opt = access.initiative("lead")
    include_in_schema = False

    @get("/responses")
    async def responses(self, request: Request, slug: FromPath[str]) -> Template:
        initiative = request.state.initiative
        filters, error = _filters(request)
        found = await browse.response_page(initiative["id"], filters, _page_number(request.query_params.get("page")))
        link = f"/lead/{slug}/responses/"
        return page(
            request,
            "lead/responses.html",
            status=400 if error else 200,
            headers=NO_STORE,
            account=await current_account(request),
            initiative=initiative,
            filters=filters,
            query=filters.as_dict(),
            querystring=_query(filters),
            error=error,
            found=found,
            when={r.id: show_time(r.submitted_hour) for r in found.responses},
            questionnaires=await questionnaires_of(initiative["id"]),
            sites=await browse.sites_of(initiative["id"]),
            ways=WAYS,
            way_names=dict(WAYS),
            pages=[
                (n, n and f"{link}{_query(filters, page=str(n) if n > 1 else '')}")
                for n in pagination(found.number, found.pages)
            ],
            previous=found.number > 1
            and f"{link}{_query(filters, page=str(found.number - 1) if found.number > 2 else '')}",
            next=found.number < found.pages and f"{link}{_query(filters, page=str(found.number + 1))}",
            deleted=_page_number(request.query_params.get("deleted")) if request.query_params.get("deleted") else None,
        )

    @get("/responses/{response_id:int}", opt=RESPONSE)
    async def response(self, request: Request, slug: FromPath[str], response_id: FromPath[int]) -> Template:
        return await self._response_page(request, response_id, "lead/response.html")

    @get("/responses/{response_id:int}/delete", opt=RESPONSE)
    async def confirm_delete(self, request: Request, slug: FromPath[str], response_id: FromPath[int]) -> Template:
        return await self._response_page(request, response_id, "lead/response_delete.html")

    @post("/responses/{response_id:int}/delete", status_code=303, opt=RESPONSE)
    async def delete(self, request: Request, slug: FromPath[str], response_id: FromPath[int]) -> Redirect:
        initiative = request.state.initiative
        account = await signed_in_account(request)
        if not await erasure.erase_response(initiative["id"], response_id, actor=account.email):
            raise NotFoundException()
        return Redirect(f"/lead/{slug}/responses/?deleted={response_id}", status_code=303)

    async def _response_page(self, request: Request, response_id: int, template: str) -> Template:
        initiative = request.state.initiative
        try:
            detail = await browse.response_detail(initiative["id"], response_id)
        except NotFound:
            raise NotFoundException() from None
        return page(
            request,
            template,
            headers=NO_STORE,
            account=await current_account(request),
            initiative=initiative,
            detail=detail,
            when=show_time(detail.response.submitted_hour),
            way_names=dict(WAYS),
            language_name=language_name(detail.response.language),
        )

    @get("/responses-wide.csv")
    async def wide_csv(self, request: Request, slug: FromPath[str]) -> Stream:
        initiative, filters = await self._download(request, "wide CSV")
        table = await browse.wide_table(initiative["id"], filters)
        return Stream(
            await _started(wide_csv(table, browse.wide_rows(initiative["id"], filters, table))),
            media_type="text/csv; charset=utf-8",
            headers={**NO_STORE, "Content-Disposition": f'attachment; filename="heard-{slug}-responses-wide.csv"'},
        )

    @get("/responses-wide.xlsx")
    async def wide_xlsx(self, request: Request, slug: FromPath[str]) -> Stream:
        initiative, filters = await self._download(request, "wide XLSX")
        table = await browse.wide_table(initiative["id"], filters)
        return Stream(
            await wide_xlsx(table, browse.wide_rows(initiative["id"], filters, table)),
            media_type=XLSX,
            headers={**NO_STORE, "Content-Disposition": f'attachment; filename="heard-{slug}-responses-wide.xlsx"'},
        )

    async def _download(self, request: Request, kind: str) -> tuple[dict, Filters]:
        initiative = request.state.initiative
        filters, error = _filters(request)
        if error:  # never download everything in place of what was asked for
            raise ValidationException(error)
        detail = " ".join(filter(None, [kind, urlencode(filters.as_dict())]))
        await audit.responses_downloaded(initiative["id"], detail, actor=(await signed_in_account(request)).email)
        return initiative, filters
