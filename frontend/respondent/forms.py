"""Respondent pages: parents and carers on their phones (``/s/{token}``) and children on a shared
tablet (``/k/{token}``).

One question per page, GOV.UK style, and no JavaScript needed: the answers given so far travel
in hidden fields of each page's form, so nothing is stored, and no cookie is set, until the last
page is sent. The submission id is minted into the first form and sent with every page, so a
double-tapped or retried final "Send" stores the answers once.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.exceptions import ClientException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from frontend.core import i18n
from frontend.core.errors import ALREADY_SENT, ALREADY_SENT_TITLE, TABLET_CANNOT_ASK, TABLET_CANNOT_ASK_TITLE
from frontend.core.numbers import whole_number
from frontend.core.rendering import PRIVATE_PAGE, language_of, page
from frontend.respondent import codes
from frontend.respondent.journeys import PARENT
from surveys import privacy, pseudonyms
from surveys.initiatives import by_slug
from surveys.questionnaires import InvalidAnswers, Page, check_page
from surveys.sessions import OpenSession, open_session
from surveys.submissions import SubmissionConflict, take
from voice import audio

RESPONDENT_BODY_LIMIT = 64 * 1024
# A page offering a voice note is sent as multipart and may carry up to 2 MB of audio.
VOICE_BODY_LIMIT = audio.MAX_BYTES + RESPONDENT_BODY_LIMIT
# The only parts of a respondent's form that may be files: a voice note for a question.
VOICE_FIELDS = (".voice",)


def _answers(form: FormMultiDict, pages: tuple[Page, ...]) -> dict[str, Any]:
    """The answers carried by a form: ``{answer_key: [values]}`` plus ``{key}.consent`` flags."""
    answers: dict[str, Any] = {}
    for p in pages:
        values = [v for v in form.getall(p.answer_key, []) if isinstance(v, str) and v.strip()]
        if values:
            answers[p.answer_key] = values
        if form.get(f"{p.answer_key}.consent"):
            answers[f"{p.answer_key}.consent"] = "yes"
    return answers


def _has_voice_notes(pages: tuple[Page, ...]) -> bool:
    return any(p.question.voice_note for p in pages)


async def _take_voice_note(session: OpenSession, submission_id: uuid.UUID, current: Page,
                           form: FormMultiDict) -> dict[str, str]:
    """Store (or remove) the voice note sent with a page; errors keyed like the page's answer."""
    key = current.answer_key
    if form.get(f"{key}.voice_remove"):
        await audio.discard_pending(submission_id, key)
        return {}
    upload = form.get(f"{key}.voice")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return {}
    content = await upload.read(audio.MAX_BYTES + 1)
    if not content:
        return {}
    try:
        await audio.store_pending(session.initiative_id, submission_id, key, content, upload.content_type)
    except audio.VoiceNoteRefused as e:
        return {key: str(e)}
    return {}


class RespondentPages(Controller):
    include_in_schema = False
    request_max_body_size = RESPONDENT_BODY_LIMIT
    journey = PARENT

    def _render(self, request: Request, session: OpenSession, language: i18n.Language, name: str, *,
                status: int = 200, **context) -> Template:
        return page(
            request,
            self.journey.template(name),
            status=status,
            language=language,
            headers=PRIVATE_PAGE,
            session=session,
            journey=self.journey,
            **context,
        )

    def _cannot_ask(self, request: Request, session: OpenSession, language: i18n.Language) -> Template:
        """A clear page, before anyone starts, for a questionnaire this journey can't finish."""
        return page(request, "error.html", status=409, language=language, headers=PRIVATE_PAGE,
                    status_code=409, title=TABLET_CANNOT_ASK_TITLE, detail=TABLET_CANNOT_ASK)

    def _question(self, request: Request, session: OpenSession, language: i18n.Language, index: int,
                  answers: dict[str, Any], submission_id: str, errors: dict[str, str] | None = None,
                  person: str | None = None, voice_notes: dict | None = None) -> Template:
        pages = self.journey.pages(session)
        current = pages[index]
        return self._render(
            request,
            session,
            language,
            "question",
            status=422 if errors else 200,
            index=index,
            total=len(pages),
            current=current,
            carried=[(p.answer_key, answers.get(p.answer_key, []), answers.get(f"{p.answer_key}.consent"))
                     for p in pages if p is not current]
                    + ([(codes.CARRIED_FIELD, [person], None)] if person else []),
            chosen=answers.get(current.answer_key, []),
            consented=bool(answers.get(f"{current.answer_key}.consent")),
            errors=errors or {},
            submission_id=submission_id,
            voice_note=(voice_notes or {}).get(current.answer_key),
        )

    @get("/{token:str}")
    async def start(self, request: Request, token: FromPath[str]) -> Template:
        session = await open_session(token)
        return self._render(
            request,
            session,
            language_of(request),
            "start",
            submission_id=str(uuid.uuid4()),
            total=len(self.journey.pages(session)),
            participant_code=codes.prefilled_code(request),
        )

    # Only a multipart page (one offering a voice note) may be bigger than an ordinary form; the
    # limits are counted on the bytes read (see frontend/core/bodies.py), chunked or not.
    @post("/{token:str}", status_code=200, request_max_body_size=VOICE_BODY_LIMIT,
          text_body_limit=RESPONDENT_BODY_LIMIT, file_fields=VOICE_FIELDS)
    async def step(self, request: Request, token: FromPath[str]) -> Template | Redirect:
        session = await open_session(token)
        if self.journey.cannot_ask(session):
            return self._cannot_ask(request, session, language_of(request))
        form = await request.form()
        language = i18n.choose(form.get("lang"), request.headers.get("accept-language"))
        pages = self.journey.pages(session)
        try:
            submission_id = str(uuid.UUID(str(form.get("submission_id", ""))))
        except ValueError:
            raise ClientException(codes.OUT_OF_DATE) from None
        index = whole_number(form.get("page", "-1"), -1, len(pages) - 1)
        if index is None:
            raise ClientException(codes.OUT_OF_DATE)
        answers = _answers(form, pages)
        # A participant code becomes the initiative's pseudonym here; only that travels on.
        person, code_problem = codes.pseudonym_from(form, session.initiative_slug, submission_id)
        if code_problem is not None:
            return page(request, code_problem.template, status=422, language=language, headers=PRIVATE_PAGE,
                        session=session, journey=self.journey, submission_id=submission_id,
                        code_error=code_problem.message, participant_code=code_problem.typed,
                        pictures=codes.pseudonyms.pictures())

        # What the next page carries: the pseudonym with the tag that proves this service made it.
        carried_person = pseudonyms.carried(session.initiative_slug, person, submission_id) if person else None
        voice_notes: dict = {}
        if _has_voice_notes(pages):
            sid = uuid.UUID(submission_id)
            if index >= 0 and pages[index].question.voice_note:
                voice_errors = await _take_voice_note(session, sid, pages[index], form)
                voice_notes = await audio.pending_notes(sid)
                if voice_errors or form.get(f"{pages[index].answer_key}.voice_remove"):
                    return self._question(request, session, language, index, answers, submission_id,
                                          voice_errors, person=carried_person, voice_notes=voice_notes)
            else:
                voice_notes = await audio.pending_notes(sid)

        if form.get("nav") == "back":
            if index <= 0:
                return self._render(request, session, language, "start", submission_id=submission_id,
                                    total=len(pages), person=carried_person)
            return self._question(request, session, language, index - 1, answers, submission_id, person=carried_person,
                                  voice_notes=voice_notes)
        if index >= 0:
            current = pages[index]
            try:
                check_page(current, answers.get(current.answer_key), answers.get(f"{current.answer_key}.consent"))
            except InvalidAnswers as e:
                return self._question(request, session, language, index, answers, submission_id, e.errors,
                                      person=carried_person, voice_notes=voice_notes)
        if index + 1 < len(pages):
            return self._question(request, session, language, index + 1, answers, submission_id, person=carried_person,
                                  voice_notes=voice_notes)

        try:
            receipt = await take(
                session,
                uuid.UUID(submission_id),
                {k: (v if pages_by_key(pages, k).question.type == "multi" else v[0]) if isinstance(v, list) else v
                 for k, v in answers.items()},
                language=language.code,
                way=self.journey.way,  # a tablet without JavaScript is still a tablet
                pseudonym=person,
                text_filter_for=request.app.state.text_filter_for,
                # Theming and sentiment happen after the answers are stored and the person has moved on.
                after_store=request.app.state.theming.add,
            )
        except SubmissionConflict:
            # This form was sent before with other answers (Back after sending, then a change):
            # the first answers stand, and these are not silently dropped behind a thank-you.
            return page(request, "error.html", status=409, language=language, headers=PRIVATE_PAGE,
                        status_code=409, title=ALREADY_SENT_TITLE, detail=ALREADY_SENT)
        except InvalidAnswers as e:
            # Only a tampered or stale hidden field gets here; show the first page with a problem.
            first = next((i for i, p in enumerate(pages) if p.answer_key in e.errors or
                          f"{p.answer_key}.consent" in e.errors), None)
            if first is None:  # the problem is on a page this journey never shows
                return self._cannot_ask(request, session, language)
            return self._question(request, session, language, first, answers, submission_id, e.errors,
                                  person=carried_person, voice_notes=voice_notes)
        if voice_notes:
            await audio.attach_to_response(
                uuid.UUID(submission_id), receipt.response_id,
                {p.answer_key: bool(answers.get(f"{p.answer_key}.consent")) for p in pages},
            )
            request.app.state.drafts.poke()  # a machine draft of each note, for the lead
        return Redirect(f"{self.journey.prefix}/{session.token}/done?lang={language.code}", status_code=303)

    @get("/{token:str}/done")
    async def done(self, request: Request, token: FromPath[str]) -> Template:
        session = await open_session(token)
        return self._render(request, session, language_of(request), "done")


def pages_by_key(pages: tuple[Page, ...], key: str) -> Page:
    base = key[: -len(".consent")] if key.endswith(".consent") else key
    return next(p for p in pages if p.answer_key == base)


class ParentPages(RespondentPages):
    path = "/s"
    journey = PARENT


@get("/privacy/{slug:str}", include_in_schema=False)
async def privacy_notice(request: Request, slug: FromPath[str]) -> Template:
    """The initiative's privacy notice, linked from every respondent page."""
    initiative = await by_slug(slug)
    return page(request, "privacy.html", initiative=initiative, notice=privacy.notice(initiative),
                headers=PRIVATE_PAGE)
