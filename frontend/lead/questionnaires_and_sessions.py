"""Lead pages for setting up before anyone answers: questionnaires, sessions, QR codes and print.

Everything lives under ``/lead/{slug}/`` with an initiative scope in ``opt`` (:mod:`frontend.core.access`), so a lead
only ever sees and changes their own initiatives. Forms are plain HTML (GOV.UK patterns, CSRF
token in each), and every printable thing comes both as a page to print from the browser and as
a PDF to download.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions import ClientException, NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from frontend.core import access
from frontend.core.access import signed_in_account
from frontend.core.numbers import required_number
from frontend.core.rendering import page
from frontend.core.session_links import short_url, show_date, show_time, state, window
from frontend.documents import printing
from frontend.documents.qr import qr_png, qr_svg
from frontend.lead.initiatives import current_account
from frontend.lead.questionnaire_files import MAX_FILE, MAX_WORKBOOK, read_definition
from frontend.lead.responses import _page_number, pagination
from frontend.lead.session_changes import read_when
from surveys import tokens
from surveys.errors import NotFound
from surveys.questionnaires import DefinitionError, to_toml
from surveys.sessions import check_times, create_session
from surveys.tables import AUDIENCES, PHASES, STORABLE_INTEGERS, QuestionnaireVersion, Session
from surveys.tables import Response as StoredResponse
from surveys.versions import (
    definition_of,
    import_definition,
    latest_version,
    questionnaire_by_slug,
    questionnaires_of,
    versions_of,
)

UPLOAD_LIMIT = MAX_WORKBOOK + 16 * 1024  # the largest file (a workbook) plus the form around it
AUDIENCE_LABELS = {"parent": "Parents and carers", "child": "Children (on a tablet)", "practitioner": "Practitioners"}
PHASE_LABELS = {"before": "Before a programme", "after": "After a programme", "single": "A single occasion"}
MAX_CARDS = 500
SESSIONS_PAGE = 25  # sessions on one page of the list


def _kind(question) -> str:
    """A question's type in a lead's words, for the list of questions."""
    if question.faces:
        return f"{len([o for o in question.options if not o.aside])} faces"
    return {
        "choice": "one answer",
        "multi": "one or more answers",
        "picture": "one picture",
        "number": "a whole number",
        "text": "written answer",
        "pair": "before and now, on two pages",
    }[question.type]


def _download(content: bytes | str, filename: str, media_type: str) -> Response:
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


class SetupPages(Controller):
    opt = access.initiative("lead")
    path = "/lead/{slug:str}"
    include_in_schema = False
    request_max_body_size = UPLOAD_LIMIT

    # --- questionnaires ---------------------------------------------------

    async def _questionnaires_page(self, request: Request, *, status: int = 200, error: str | None = None,
                                   imported: str | None = None) -> Template:
        initiative = request.state.initiative
        items = []
        for q in await questionnaires_of(initiative["id"]):
            versions = await versions_of(q["id"])
            for v in versions:
                v["saved"] = show_time(v["created_at"])
            latest = versions[-1]
            definition = await definition_of(latest["id"], latest["fingerprint"])
            items.append({"questionnaire": q, "versions": versions, "definition": definition,
                          "kinds": {k.key: _kind(k) for k in definition.questions}})
        return page(
            request,
            "lead/questionnaires.html",
            status=status,
            account=await current_account(request),
            initiative=initiative,
            items=items,
            error=error,
            imported=imported,
            max_kb=MAX_FILE // 1024,
            max_workbook_kb=MAX_WORKBOOK // 1024,
        )

    @get("/questionnaires")
    async def questionnaires(self, request: Request, slug: FromPath[str]) -> Template:
        return await self._questionnaires_page(request, imported=request.query_params.get("imported"))

    @post("/questionnaires", status_code=200, file_fields=("file",))
    async def upload(self, request: Request, slug: FromPath[str]) -> Template | Redirect:
        initiative = request.state.initiative
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return await self._questionnaires_page(request, status=400, error="Choose a questionnaire file (.toml or an XLSForm .xlsx) to upload")
        data = await upload.read(MAX_WORKBOOK + 1)
        name = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:100]
        try:
            definition = read_definition(data, name)
            version, created = await import_definition(initiative["id"], definition, source=name,
                                                       actor=(await signed_in_account(request)).email)
        except DefinitionError as e:
            return await self._questionnaires_page(request, status=400, error=str(e))
        outcome = f"{definition.slug} version {version['number']}" + ("" if created else " (unchanged)")
        return Redirect(f"/lead/{slug}/questionnaires?imported={quote(outcome)}", status_code=303)

    @get("/questionnaires/{questionnaire:str}/download", opt=access.initiative("lead", questionnaire="questionnaire_slug"))
    async def download_questionnaire(self, request: Request, slug: FromPath[str], questionnaire: FromPath[str],
                                     version: FromQuery[str | None] = None) -> Response:
        initiative = request.state.initiative
        # Checked before anything else: a number no version could have is a 400, never a query.
        number = None if not version else required_number(version, "version", 1, STORABLE_INTEGERS.stop - 1)
        try:
            q = await questionnaire_by_slug(initiative["id"], questionnaire)
        except NotFound:
            raise NotFoundException() from None
        if number is None:
            row = await latest_version(q["id"])
        else:
            row = await QuestionnaireVersion.select().where(
                (QuestionnaireVersion.questionnaire == q["id"]) & (QuestionnaireVersion.number == number)
            ).first()
        if row is None:
            raise NotFoundException()
        definition = await definition_of(row["id"], row["fingerprint"])
        return _download(to_toml(definition), f"{q['slug']}-v{row['number']}.toml", "application/toml; charset=utf-8")

    # --- sessions -----------------------------------------------------------

    @get("/sessions")
    async def sessions(self, request: Request, slug: FromPath[str]) -> Template:
        initiative = request.state.initiative
        base = request.app.state.settings.base_url
        # One page of sessions, newest first (GOV.UK pagination, as the list of responses).
        total = await Session.count().where(Session.initiative == initiative["id"])
        pages = max(1, -(-total // SESSIONS_PAGE))
        number = min(_page_number(request.query_params.get("page")), pages)
        rows = await (
            Session.select(
                *Session.all_columns(),
                Session.questionnaire_version.number.as_alias("version"),
                Session.questionnaire_version._.questionnaire._.title.as_alias("questionnaire_title"),
                Session.questionnaire_version._.questionnaire._.id.as_alias("questionnaire_id"),
            )
            .where(Session.initiative == initiative["id"])
            .order_by(Session.held_on, ascending=False)
            .order_by(Session.id, ascending=False)
            .limit(SESSIONS_PAGE)
            .offset((number - 1) * SESSIONS_PAGE)
        )
        newest = {}
        for q in await questionnaires_of(initiative["id"]):
            latest = await latest_version(q["id"])
            assert latest is not None  # a questionnaire has at least one version
            newest[q["id"]] = latest["number"]
        for row in rows:
            # A session keeps the version it was made with; say so when the questionnaire has moved on.
            row["newer_version"] = newest.get(row["questionnaire_id"]) if newest.get(row["questionnaire_id"], 0) > row["version"] else None
            row["short_url"] = short_url(base, row["token"], row["audience"])
            row["display_token"] = tokens.display(row["token"])
            row["date"] = show_date(row["held_on"])
            row["window"] = window(row["opens_at"], row["closes_at"])
            row["state"] = state(row["opens_at"], row["closes_at"])
        link = f"/lead/{slug}/sessions"

        def at(n: int) -> str:
            return f"{link}?page={n}" if n > 1 else link

        return page(
            request, "lead/sessions.html", account=await current_account(request), initiative=initiative,
            sessions=rows, audiences=AUDIENCE_LABELS, phases=PHASE_LABELS,
            total=total, number=number, page_count=pages,
            pages=[(n, n and at(n)) for n in pagination(number, pages)],
            previous=number > 1 and at(number - 1), next=number < pages and at(number + 1),
            created=request.query_params.get("created"),
            deleted=request.query_params.get("deleted"),
        )

    async def _new_session_page(self, request: Request, values: dict[str, str], errors: dict[str, str]) -> Template:
        initiative = request.state.initiative
        questionnaires = await questionnaires_of(initiative["id"])
        return page(
            request,
            "lead/session_new.html",
            status=400 if errors else 200,
            account=await current_account(request),
            initiative=initiative,
            questionnaires=questionnaires,
            audiences=AUDIENCE_LABELS,
            phases=PHASE_LABELS,
            values=values,
            errors=errors,
        )

    @get("/sessions/new")
    async def new_session(self, request: Request, slug: FromPath[str]) -> Template:
        return await self._new_session_page(request, {}, {})

    @post("/sessions/new", status_code=200)
    async def create(self, request: Request, slug: FromPath[str]) -> Template | Redirect:
        initiative = request.state.initiative
        form = await request.form()
        values = {k: str(form.get(k, "")).strip() for k in
                  ("questionnaire", "audience", "phase", "site", "held_on", "opens_at", "closes_at")}
        errors: dict[str, str] = {}
        questionnaire = None
        if not values["questionnaire"]:
            errors["questionnaire"] = "Choose the questionnaire people will answer"
        else:
            try:
                questionnaire = await questionnaire_by_slug(initiative["id"], values["questionnaire"])
            except NotFound:
                errors["questionnaire"] = "Choose one of the questionnaires listed"
        if values["audience"] not in AUDIENCES:
            errors["audience"] = "Choose who will answer"
        if values["phase"] not in PHASES:
            errors["phase"] = "Choose when this session happens"
        when, when_errors = read_when(values)
        errors.update(when_errors)
        errors.update({k: v for k, v in check_times(values["site"], when["opens_at"], when["closes_at"]).items()
                       if k not in errors})
        held_on, opens_at, closes_at = when["held_on"], when["opens_at"], when["closes_at"]
        if errors:
            return await self._new_session_page(request, values, errors)
        assert questionnaire is not None  # else errors said to choose one
        version = await latest_version(questionnaire["id"])
        assert version is not None  # a questionnaire has at least one version
        row = await create_session(
            initiative["id"], version["id"], audience=values["audience"], phase=values["phase"],
            site=values["site"], held_on=held_on, opens_at=opens_at, closes_at=closes_at,
            actor=(await signed_in_account(request)).email,
        )
        return Redirect(f"/lead/{slug}/sessions/{tokens.display(row['token'])}", status_code=303)

    async def _session(self, request: Request, token: str) -> tuple[dict, Any]:
        """The initiative's session a token names (404 for any other), and its definition."""
        initiative = request.state.initiative
        canonical = tokens.normalise(token)
        row = None if canonical is None else await (
            Session.select(
                *Session.all_columns(),
                Session.questionnaire_version.number.as_alias("version"),
                Session.questionnaire_version.fingerprint.as_alias("fingerprint"),
                Session.questionnaire_version._.questionnaire._.title.as_alias("questionnaire_title"),
                Session.questionnaire_version._.questionnaire._.slug.as_alias("questionnaire_slug"),
            )
            .where((Session.token == canonical) & (Session.initiative == initiative["id"]))
            .first()
        )
        if row is None:
            raise NotFoundException()
        definition = await definition_of(row["questionnaire_version"], row["fingerprint"])
        return row, definition

    def _printable(self, request: Request, row: dict, definition) -> printing.PrintableSession:
        return printing.printable(row, request.state.initiative, definition, request.app.state.settings.base_url)

    @get("/sessions/{token:str}", opt=access.initiative("lead", token="session_token"))
    async def session(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Template:
        row, definition = await self._session(request, token)
        link = short_url(request.app.state.settings.base_url, row["token"], row["audience"])
        return page(
            request,
            "lead/session.html",
            account=await current_account(request),
            initiative=request.state.initiative,
            session=row,
            definition=definition,
            short_url=link,
            display_token=tokens.display(row["token"]),
            qr=qr_svg(link, title=f"QR code for {link}"),
            date=show_date(row["held_on"]),
            window=window(row["opens_at"], row["closes_at"]),
            state=state(row["opens_at"], row["closes_at"]),
            audiences=AUDIENCE_LABELS,
            phases=PHASE_LABELS,
            answered=await StoredResponse.count().where(StoredResponse.session == row["id"]),
            changed=request.query_params.get("changed"),
        )

    @get("/sessions/{token:str}/qr.svg", opt=access.initiative("lead", token="session_token"))
    async def qr_svg_file(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Response:
        row, _ = await self._session(request, token)
        link = short_url(request.app.state.settings.base_url, row["token"], row["audience"])
        svg = '<?xml version="1.0" encoding="UTF-8"?>\n' + str(qr_svg(link, title=f"QR code for {link}"))
        return _download(svg, f"heard-{tokens.display(row['token'])}.svg", "image/svg+xml")

    @get("/sessions/{token:str}/qr.png", opt=access.initiative("lead", token="session_token"))
    async def qr_png_file(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Response:
        row, _ = await self._session(request, token)
        link = short_url(request.app.state.settings.base_url, row["token"], row["audience"])
        return _download(qr_png(link), f"heard-{tokens.display(row['token'])}.png", "image/png")

    async def _print_page(self, request: Request, token: str, template: str) -> Template:
        row, definition = await self._session(request, token)
        return Template(template_name=template,
                        context=printing.session_print_context(self._printable(request, row, definition)))

    @get("/sessions/{token:str}/poster", opt=access.initiative("lead", token="session_token"))
    async def poster(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Template:
        return await self._print_page(request, token, "print/poster.html")

    @get("/sessions/{token:str}/card", opt=access.initiative("lead", token="session_token"))
    async def card(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Template:
        return await self._print_page(request, token, "print/card.html")

    async def _pdf(self, request: Request, token: str, build, kind: str) -> Response:
        row, definition = await self._session(request, token)
        try:
            pdf = build(self._printable(request, row, definition))
        except ValueError as e:  # words too long to print legibly: say which
            raise ClientException(f"This {kind} can't be printed: {e}.") from None
        return _download(pdf, f"heard-{kind}-{tokens.display(row['token'])}.pdf", "application/pdf")

    @get("/sessions/{token:str}/poster.pdf", opt=access.initiative("lead", token="session_token"))
    async def poster_pdf(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Response:
        return await self._pdf(request, token, printing.poster_pdf, "poster")

    @get("/sessions/{token:str}/card.pdf", opt=access.initiative("lead", token="session_token"))
    async def card_pdf(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Response:
        return await self._pdf(request, token, printing.card_pdf, "card")

    @get("/session-cards.pdf")
    async def cards(self, request: Request, slug: FromPath[str]) -> Response:
        """One A6 card per session held in a date range (``?from=YYYY-MM-DD&to=YYYY-MM-DD``);
        without dates, the sessions of the coming 90 days from today."""
        initiative = request.state.initiative
        today = dt.date.today()
        try:
            start = dt.date.fromisoformat(request.query_params.get("from") or today.isoformat())
            end = dt.date.fromisoformat(request.query_params.get("to") or (today + dt.timedelta(days=90)).isoformat())
        except ValueError:
            raise ClientException("Enter the first and last dates like 2026-11-23.") from None
        if end < start:
            raise ClientException("The last date must be on or after the first date.")
        rows = await (
            Session.select(
                *Session.all_columns(),
                Session.questionnaire_version.fingerprint.as_alias("fingerprint"),
            )
            .where(
                (Session.initiative == initiative["id"]) & (Session.held_on >= start) & (Session.held_on <= end)
            )
            .order_by(Session.held_on)
            .order_by(Session.site)
            .limit(MAX_CARDS + 1)
        )
        if not rows:
            raise ClientException(f"No sessions are held between {show_date(start)} and {show_date(end)}.")
        if len(rows) > MAX_CARDS:
            raise ClientException(f"That is more than {MAX_CARDS} sessions: choose fewer dates.")
        cards = []
        for row in rows:
            definition = await definition_of(row["questionnaire_version"], row["fingerprint"])
            cards.append(self._printable(request, row, definition))
        try:
            pdf = printing.cards_pdf(cards)
        except ValueError as e:
            raise ClientException(f"These cards can't be printed: {e}.") from None
        return _download(pdf, f"heard-{slug}-cards-{start}-to-{end}.pdf", "application/pdf")

