"""Paper sheets: the printable paper questionnaire of a session, and the screen staff type the
filled-in sheets into (``/lead/{slug}/sessions/{token}/paper``), one sheet at a time.

The entry screen is keyboard-first: the sheet number has the focus, Tab moves between answers,
each answer's options are numbered (with JavaScript, pressing the number picks it and moves on;
without, the arrow keys and space do), and Enter saves the sheet and brings up the next one with
the next number ready. Written answers are redacted on save, as every answer is.
"""

from __future__ import annotations

import uuid

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from frontend.core import access, i18n
from frontend.core.access import current_account, signed_in_account
from frontend.core.i18n import SUPPORTED
from frontend.core.numbers import whole_number
from frontend.core.rendering import page
from frontend.documents import paper_form
from surveys import tokens
from surveys.errors import NotFound
from surveys.paper import SheetError, entered, next_sheet, read_sheet
from surveys.privacy import notice
from surveys.questionnaires import InvalidAnswers
from surveys.sessions import OpenSession, session_for_staff
from surveys.submissions import InvalidParticipantCode, pseudonym_of, take
from surveys.tables import Session

INVALID_CODE = "Check the participant code: it is not one Heard made"


async def _session(request: Request, token: str) -> OpenSession:
    """The initiative's session a token names, open or closed (404 for any other)."""
    try:
        session = await session_for_staff(token)
    except NotFound:
        raise NotFoundException() from None
    if session.initiative_id != request.state.initiative["id"]:
        raise NotFoundException()
    return session


def _answers_from(form, session: OpenSession) -> dict:
    answers: dict = {}
    for p in session.definition.pages:
        key = p.answer_key
        values = [str(v) for v in form.getall(key, []) if str(v).strip()]
        if not values:
            continue
        answers[key] = values if p.question.type == "multi" else values[0]
        if form.get(f"{key}.consent"):
            answers[f"{key}.consent"] = "yes"
    return answers


class PaperPages(Controller):
    path = "/lead/{slug:str}/sessions/{token:str}"
    opt = access.initiative("lead", token="session_token")
    include_in_schema = False

    async def _entry(
        self,
        request: Request,
        session: OpenSession,
        *,
        status: int = 200,
        errors: dict | None = None,
        typed: dict | None = None,
        sheet: str = "",
        saved: str | None = None,
    ) -> Template:
        done = await entered(session.id)
        return page(
            request,
            "lead/paper.html",
            status=status,
            account=await current_account(request),
            initiative=request.state.initiative,
            session=session,
            pages=session.definition.pages,
            errors=errors or {},
            typed=typed or {},
            sheet=sheet or str(await next_sheet(session.id)),
            sheet_language=(typed or {}).get("_language", "en"),
            languages_offered=SUPPORTED,
            entered=done,
            saved=saved,
            submission_id=str(uuid.uuid4()),
        )

    @get("/paper")
    async def entry(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Template:
        session = await _session(request, token)
        return await self._entry(request, session, saved=request.query_params.get("saved"))

    @post("/paper", status_code=200)
    async def save(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Template | Redirect:
        session = await _session(request, token)
        form = await request.form()
        answers = _answers_from(form, session)
        typed_sheet = str(form.get("sheet", ""))[:80]
        language = str(form.get("language", "en"))
        language = language if language in SUPPORTED else "en"
        typed = {**answers, "_language": language, "_code": str(form.get("participant_code", ""))[:40]}
        errors: dict[str, str] = {}
        try:
            submission_id = uuid.UUID(str(form.get("submission_id", "")))
        except ValueError:
            submission_id = uuid.uuid4()
        try:
            sheet = read_sheet(typed_sheet, session)
        except SheetError as e:
            errors.update(e.errors)
            try:  # nothing is taken, but a wrong code is named at once, beside the sheet number
                pseudonym_of(session.initiative_slug, typed["_code"])
            except InvalidParticipantCode:
                errors["participant_code"] = INVALID_CODE
        else:
            try:
                await take(
                    session,
                    submission_id,
                    answers,
                    language=language,
                    way="paper",
                    participant_code=typed["_code"],
                    sheet=sheet,
                    actor=(await signed_in_account(request)).email,
                    text_filter_for=request.app.state.text_filter_for,
                    after_store=request.app.state.theming.add,
                )
            except InvalidParticipantCode:
                errors["participant_code"] = INVALID_CODE
            except (SheetError, InvalidAnswers) as e:
                errors.update(e.errors)
        if errors:
            return await self._entry(request, session, status=422, errors=errors, typed=typed, sheet=typed_sheet)
        return Redirect(f"/lead/{slug}/sessions/{session.display_token}/paper?saved={sheet}", status_code=303)

    async def _form(self, request: Request, token: str) -> paper_form.PaperForm:
        session = await _session(request, token)
        code = request.query_params.get("lang", "en")
        language = i18n.language(code if code in SUPPORTED else "en")
        sheets = whole_number(request.query_params.get("sheets", "1"), 1, 200) or 1
        first = whole_number(request.query_params.get("from"), 1, 99_000) or await next_sheet(session.id)
        row = await Session.select(Session.held_on).where(Session.id == session.id).first()
        if row is None:  # deleted since _session found it
            raise NotFoundException()
        return paper_form.build(
            session,
            language,
            range(first, first + sheets),
            notice=notice(request.state.initiative),
            held_on=row["held_on"],
        )

    @get("/paper-form")
    async def printable(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Template:
        form = await self._form(request, token)
        return page(request, "print/paper.html", form=form, language=form.language)

    @get("/paper-form.pdf")
    async def printable_pdf(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Response:
        form = await self._form(request, token)
        name = f"heard-{slug}-{tokens.display(form.token)}-paper-{form.language.code}.pdf"
        return Response(
            paper_form.pdf(form),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
