"""The questionnaire builder: a lead makes or changes a questionnaire in the browser.

``/lead/{slug}/questionnaires/new`` starts a draft (blank, from a pack's template, a copy, or
the latest version of one to change); ``…/drafts/{draft}/`` lists its questions with plain
buttons to change, move and remove each, one form per question (no JavaScript needed); a
phone-sized preview shows each question as a respondent sees it in any of the five languages;
a side-by-side screen per language takes translations; publishing makes a version exactly as an
upload does (:mod:`surveys.builder`). GOV.UK patterns throughout: error summary, messages by
the field, nothing half-saved.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from frontend.core import access, i18n
from frontend.core.access import signed_in_account
from frontend.core.numbers import whole_number
from frontend.core.rendering import page
from frontend.lead.confirm import unless_confirmed
from frontend.lead.initiatives import current_account
from surveys import builder, packs
from surveys.errors import NotFound
from surveys.questionnaires import InvalidAnswers, check_page
from surveys.scales import SCALES
from surveys.sessions import OpenSession
from surveys.versions import questionnaires_of

DRAFT = access.initiative("lead", draft="questionnaire_draft")
DRAFT_IN_LANGUAGE = access.initiative("lead", names=("lang",), draft="questionnaire_draft")
# A question's number is its place in the draft, found inside the draft the path names.
DRAFT_QUESTION = access.initiative("lead", names=("number",), draft="questionnaire_draft")
TYPES = {
    "choice": "One answer from a list (a scale such as Yes / Partly / No, or your own answers)",
    "multi": "One or more answers from a list",
    "picture": "One picture (for children: each answer is a picture with its word)",
    "text": "A written answer (with a voice note if you like)",
    "pair": "Before and now: the same scale asked twice, on two pages",
    "number": "A whole number (for example how many children came)",
}
AUDIENCE_LABELS = {"parent": "Parents and carers", "child": "Children (on a tablet)", "practitioner": "Practitioners"}
OTHER_LANGUAGES = tuple(code for code in i18n.SUPPORTED if code != i18n.DEFAULT)


@dataclass(frozen=True)
class PreviewJourney:
    """What the respondent's question page needs of its journey: where its form posts."""

    prefix: str
    kiosk: bool = False


def _pictures() -> list[dict]:
    import json

    from frontend import STATIC

    return json.loads((STATIC / "pictures" / "index.json").read_text(encoding="utf-8"))


def _scale_choices(audience: str) -> dict[str, str]:
    """Scales a lead can pick, as their answers read; faces only for children."""
    return {
        key: " / ".join(o.label for o in scale.options if not o.aside)
        for key, scale in SCALES.items()
        if scale.faces == (audience == "child") or (audience == "child" and key in ("yes_no",))
    }


def _lines(value: str) -> list[str]:
    return [" ".join(line.split()) for line in value.splitlines() if line.strip()]


def _whole(value: str) -> int | str:
    try:
        return int(value.strip())
    except ValueError:
        return value.strip()


def question_from_form(form: FormMultiDict, kind: str, existing: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The question a question form describes, as a TOML file would write it."""
    get = lambda name: str(form.get(name, "")).strip()  # noqa: E731
    q: dict[str, Any] = {"key": get("key"), "type": kind, "text": " ".join(get("text").split())}
    if get("help"):
        q["help"] = get("help")
    if kind in ("choice", "multi", "pair"):
        if get("answers") == "own" and kind != "pair":
            options = []
            old = {o["label"]: o.get("key") for o in (existing or {}).get("options", []) if isinstance(o, dict)}
            for label in _lines(get("options")):
                options.append({"label": label, **({"key": old[label]} if old.get(label) else {})})
            q["options"] = options
            if form.get("not_sure"):
                q["not_sure"] = True
        else:
            q["scale"] = get("scale")
            if not form.get("not_sure"):
                q["not_sure"] = False
    if kind == "picture":
        words = {p["key"]: p["word"] for p in _pictures()}
        q["options"] = [
            {"key": key, "label": words[key], "picture": f"pictures/{key}.svg"}
            for key in form.getall("pictures", [])
            if key in words
        ]
    if kind == "pair":
        q["before"], q["now"] = " ".join(get("before").split()), " ".join(get("now").split())
    if kind == "number":
        q["min"], q["max"] = _whole(get("min")), _whole(get("max"))
        for name in ("unit", "counts"):
            if get(name):
                q[name] = get(name)
    if kind == "text":
        q["quote_consent"] = bool(form.get("quote_consent"))
        if form.get("voice_note"):
            q["voice_note"] = True
    if form.get("optional"):
        q["required"] = False
    elif kind == "text":
        q["required"] = True
    if get("headline") and kind in ("choice", "pair"):
        q["headline"] = get("headline")
    return q


def _form_values(q: Mapping[str, Any] | None) -> dict[str, Any]:
    """A stored question as its form's fields."""
    q = q or {}
    own = "options" in q and q.get("type") != "picture"
    return {
        "key": q.get("key", ""),
        "text": q.get("text", ""),
        "help": q.get("help", ""),
        "answers": "own" if own else "scale",
        "scale": q.get("scale", ""),
        "options": "\n".join(o["label"] if isinstance(o, dict) else str(o) for o in q.get("options", []))
        if own
        else "",
        "not_sure": q.get("not_sure", not own),
        "pictures": [o.get("key") for o in q.get("options", []) if isinstance(o, dict) and o.get("picture")],
        "before": q.get("before", ""),
        "now": q.get("now", ""),
        "min": q.get("min", ""),
        "max": q.get("max", ""),
        "unit": q.get("unit", ""),
        "counts": q.get("counts", ""),
        "quote_consent": q.get("quote_consent", True),
        "voice_note": q.get("voice_note", False),
        "optional": q.get("required") is False or (q.get("type") == "text" and "required" not in q),
        "headline": q.get("headline", ""),
    }


def _kind_words(q: Mapping[str, Any]) -> str:
    kind = TYPES[q["type"]].split(" (")[0]
    if "scale" in q:
        kind += f": {' / '.join(o.label for o in SCALES[q['scale']].options if not o.aside)}"
    return kind + ("" if q.get("required", q["type"] != "text") else " · optional")


class BuilderPages(Controller):
    opt = access.initiative("lead")
    path = "/lead/{slug:str}/questionnaires"
    include_in_schema = False

    async def _draft(self, request: Request, draft: str) -> builder.Draft:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,99}", draft):
            raise NotFoundException()
        try:
            return await builder.get_draft(request.state.initiative["id"], draft)
        except NotFound:
            raise NotFoundException() from None

    async def _actor(self, request: Request) -> str:
        return (await signed_in_account(request)).email

    def _to(self, request: Request, draft: str, rest: str = "", done: str = "") -> Redirect:
        base = f"/lead/{request.state.initiative['slug']}/questionnaires/drafts/{draft}/{rest}"
        return Redirect(base + (f"?done={quote(done)}" if done else ""), status_code=303)

    # -- starting ---------------------------------------------------------------------------------

    async def _start_page(self, request: Request, values: dict, errors: dict, status: int = 200) -> Template:
        initiative = request.state.initiative
        templates = {}
        for pack in packs.all_packs():
            for q in pack.questionnaires:
                title = builder.template_title(q)
                templates[f"template:{q}"] = f"{title} ({pack.title})"
        existing = {f"copy:{q['slug']}": q["title"] for q in await questionnaires_of(initiative["id"])}
        return page(
            request,
            "lead/builder_new.html",
            status=status,
            account=await current_account(request),
            initiative=initiative,
            values=values,
            errors=errors,
            audiences=AUDIENCE_LABELS,
            templates=templates,
            existing=existing,
            drafts=await builder.drafts_of(initiative["id"]),
        )

    @get("/new")
    async def new(self, request: Request, slug: FromPath[str]) -> Template:
        return await self._start_page(request, {"start": "blank"}, {})

    @post("/new", status_code=200)
    async def start(self, request: Request, slug: FromPath[str]) -> Template | Redirect:
        form = await request.form()
        values = {k: str(form.get(k, "")) for k in ("title", "audience", "start", "template", "copy")}
        start_from = values["start"]
        if start_from in ("template", "copy"):
            start_from = values[start_from] or start_from
        try:
            draft = await builder.start(
                request.state.initiative["id"],
                title=values["title"],
                audience=values["audience"],
                start_from=start_from,
                actor=await self._actor(request),
            )
        except builder.BuilderError as e:
            return await self._start_page(request, values, e.errors, status=400)
        return self._to(request, draft.slug)

    @post("/{questionnaire:str}/edit", opt=access.initiative("lead", questionnaire="questionnaire_slug"))
    async def edit(self, request: Request, slug: FromPath[str], questionnaire: FromPath[str]) -> Redirect:
        try:
            draft = await builder.start(
                request.state.initiative["id"],
                title="",
                audience="",
                start_from=f"edit:{questionnaire}",
                actor=await self._actor(request),
            )
        except builder.BuilderError:
            raise NotFoundException() from None
        return self._to(request, draft.slug)

    # -- the draft ----------------------------------------------------------------------------------

    async def _draft_page(
        self, request: Request, draft: builder.Draft, errors: dict | None = None, status: int = 200
    ) -> Template:
        initiative = request.state.initiative
        languages = {
            code: (
                i18n.language(code).name,
                builder.missing(builder.translation_rows(draft, code)),
                len(builder.translation_rows(draft, code)),
            )
            for code in OTHER_LANGUAGES
        }
        return page(
            request,
            "lead/builder.html",
            status=status,
            account=await current_account(request),
            initiative=initiative,
            draft=draft,
            errors=errors or {},
            types=TYPES,
            kinds=[_kind_words(q) for q in draft.questions],
            languages=languages,
            open_sessions=len(await builder.open_sessions(initiative["id"], draft.slug)),
            done=request.query_params.get("done"),
        )

    @get("/drafts/{draft:str}", opt=DRAFT)
    async def show(self, request: Request, slug: FromPath[str], draft: FromPath[str]) -> Template:
        return await self._draft_page(request, await self._draft(request, draft))

    @post("/drafts/{draft:str}/details", opt=DRAFT, status_code=200)
    async def details(self, request: Request, slug: FromPath[str], draft: FromPath[str]) -> Template | Redirect:
        d = await self._draft(request, draft)
        form = await request.form()
        try:
            await builder.save_details(
                d, title=str(form.get("title", "")), about=str(form.get("about", "")), actor=await self._actor(request)
            )
        except builder.BuilderError as e:
            return await self._draft_page(request, d, e.errors, status=400)
        return self._to(request, draft, done="title saved")

    # -- questions ----------------------------------------------------------------------------------

    async def _question_page(
        self,
        request: Request,
        d: builder.Draft,
        kind: str,
        index: int | None,
        values: dict,
        errors: dict,
        status: int = 200,
    ) -> Template:
        return page(
            request,
            "lead/builder_question.html",
            status=status,
            account=await current_account(request),
            initiative=request.state.initiative,
            draft=d,
            kind=kind,
            kind_words=TYPES[kind],
            index=index,
            values=values,
            errors=errors,
            scales=_scale_choices(d.audience),
            pictures=_pictures(),
        )

    @get("/drafts/{draft:str}/questions/new", opt=DRAFT)
    async def new_question(self, request: Request, slug: FromPath[str], draft: FromPath[str]) -> Template:
        d = await self._draft(request, draft)
        kind = request.query_params.get("type") or "choice"
        if kind not in TYPES:
            return await self._draft_page(request, d, {"type": "Choose a type of question"}, status=400)
        values = _form_values({"type": kind, "scale": next(iter(_scale_choices(d.audience)), "")})
        return await self._question_page(request, d, kind, None, values, {})

    @get("/drafts/{draft:str}/questions/{number:int}", opt=DRAFT_QUESTION)
    async def question(
        self, request: Request, slug: FromPath[str], draft: FromPath[str], number: FromPath[int]
    ) -> Template:
        d = await self._draft(request, draft)
        if not 1 <= number <= len(d.questions):
            raise NotFoundException()
        q = d.questions[number - 1]
        return await self._question_page(request, d, q["type"], number, _form_values(q), {})

    async def _save_question(self, request: Request, draft: str, number: int | None) -> Template | Redirect:
        d = await self._draft(request, draft)
        form = await request.form()
        existing = d.questions[number - 1] if number and 1 <= number <= len(d.questions) else None
        if number is not None and existing is None:
            raise NotFoundException()
        kind = existing["type"] if existing else str(form.get("type", ""))
        if kind not in TYPES:
            raise NotFoundException()
        q = question_from_form(form, kind, existing)
        try:
            await builder.save_question(d, None if number is None else number - 1, q, actor=await self._actor(request))
        except builder.BuilderError as e:
            values = {
                **_form_values(q),
                "options": str(form.get("options", "")),
                "min": str(form.get("min", "")),
                "max": str(form.get("max", "")),
                "answers": str(form.get("answers", "scale")),
            }
            return await self._question_page(request, d, kind, number, values, e.errors, status=400)
        return self._to(request, draft, done="question saved")

    @post("/drafts/{draft:str}/questions/new", opt=DRAFT, status_code=200)
    async def add_question(self, request: Request, slug: FromPath[str], draft: FromPath[str]) -> Template | Redirect:
        return await self._save_question(request, draft, None)

    @post("/drafts/{draft:str}/questions/{number:int}", opt=DRAFT_QUESTION, status_code=200)
    async def change_question(
        self, request: Request, slug: FromPath[str], draft: FromPath[str], number: FromPath[int]
    ) -> Template | Redirect:
        return await self._save_question(request, draft, number)

    @post("/drafts/{draft:str}/questions/{number:int}/move", opt=DRAFT_QUESTION)
    async def move(
        self, request: Request, slug: FromPath[str], draft: FromPath[str], number: FromPath[int]
    ) -> Redirect:
        d = await self._draft(request, draft)
        form = await request.form()
        try:
            await builder.move_question(
                d, number - 1, -1 if form.get("direction") == "up" else 1, actor=await self._actor(request)
            )
        except NotFound:
            raise NotFoundException() from None
        return self._to(request, draft, done="question moved")

    @post("/drafts/{draft:str}/questions/{number:int}/remove", opt=DRAFT_QUESTION, status_code=200)
    async def remove(
        self, request: Request, slug: FromPath[str], draft: FromPath[str], number: FromPath[int]
    ) -> Template | Redirect:
        d = await self._draft(request, draft)
        if not 1 <= number <= len(d.questions):
            raise NotFoundException()
        ask = await unless_confirmed(
            request,
            question=f'Remove question {number}, "{d.questions[number - 1]["text"]}"?',
            consequences="It goes from this draft, with its translations. Published versions, and answers "
            "already given to them, are not changed.",
            button="Yes, remove it",
            back=f"/lead/{slug}/questionnaires/drafts/{draft}/",
        )
        if ask is not None:
            return ask
        await builder.remove_question(d, number - 1, actor=await self._actor(request))
        return self._to(request, draft, done="question removed")

    # -- translations -------------------------------------------------------------------------------

    async def _translation_page(
        self, request: Request, d: builder.Draft, lang: str, errors: dict, typed: dict | None = None, status: int = 200
    ) -> Template:
        rows = builder.translation_rows(d, lang)
        return page(
            request,
            "lead/builder_translations.html",
            status=status,
            account=await current_account(request),
            initiative=request.state.initiative,
            draft=d,
            target=i18n.language(lang),
            rows=rows,
            typed=typed or {},
            errors=errors,
            missing=builder.missing(rows),
            done=request.query_params.get("done"),
        )

    @get("/drafts/{draft:str}/translations/{lang:str}", opt=DRAFT_IN_LANGUAGE)
    async def translations(
        self, request: Request, slug: FromPath[str], draft: FromPath[str], lang: FromPath[str]
    ) -> Template:
        if lang not in OTHER_LANGUAGES:
            raise NotFoundException()
        return await self._translation_page(request, await self._draft(request, draft), lang, {})

    @post("/drafts/{draft:str}/translations/{lang:str}", opt=DRAFT_IN_LANGUAGE, status_code=200)
    async def save_translations(
        self, request: Request, slug: FromPath[str], draft: FromPath[str], lang: FromPath[str]
    ) -> Template | Redirect:
        if lang not in OTHER_LANGUAGES:
            raise NotFoundException()
        d = await self._draft(request, draft)
        form = await request.form()
        values = {r.path: str(form.get(r.path, "")) for r in builder.translation_rows(d, lang)}
        try:
            await builder.save_translations(d, lang, values, actor=await self._actor(request))
        except builder.BuilderError as e:
            return await self._translation_page(request, d, lang, e.errors, values, status=400)
        return self._to(request, draft, f"translations/{lang}", done="translations saved")

    # -- preview ------------------------------------------------------------------------------------

    def _preview(
        self,
        request: Request,
        d: builder.Draft,
        language: i18n.Language,
        index: int,
        errors: dict | None = None,
        chosen: list | None = None,
    ) -> Template:
        initiative = request.state.initiative
        definition = d.definition
        assert definition is not None  # the callers preview only a draft with questions
        pages = definition.pages
        index = max(0, min(index, len(pages) - 1))
        session = OpenSession(
            id=0,
            token=f"{d.slug}/preview",
            initiative_id=initiative["id"],
            initiative_slug=initiative["slug"],
            initiative_name=initiative["name"],
            initiative_summary=initiative.get("summary", ""),
            initiative_contact="",
            version_id=0,
            definition=definition,
            audience=d.audience,
            phase="single",
            site="",
        )
        return page(
            request,
            "respond/question.html",
            status=422 if errors else 200,
            language=language,
            session=session,
            journey=PreviewJourney(f"/lead/{initiative['slug']}/questionnaires/drafts"),
            index=index,
            total=len(pages),
            current=pages[index],
            carried=[],
            chosen=chosen or [],
            consented=False,
            errors=errors or {},
            submission_id="preview",
            voice_note=None,
            preview={
                "back": f"/lead/{initiative['slug']}/questionnaires/drafts/{d.slug}/",
                "languages": [(code, i18n.language(code).name) for code in i18n.SUPPORTED],
                "href": f"/lead/{initiative['slug']}/questionnaires/drafts/{d.slug}/preview?page={index}",
            },
        )

    @get("/drafts/{draft:str}/preview", opt=DRAFT)
    async def preview(self, request: Request, slug: FromPath[str], draft: FromPath[str]) -> Template | Redirect:
        d = await self._draft(request, draft)
        if not d.questions:
            return self._to(request, draft, done="add a question to preview it")
        lang = request.query_params.get("lang", "en")
        language = i18n.language(lang if lang in i18n.SUPPORTED else "en")
        index = whole_number(request.query_params.get("page", "0"), 0, 10**6) or 0  # _preview clamps it
        return self._preview(request, d, language, index)

    @post("/drafts/{draft:str}/preview", opt=DRAFT, status_code=200)
    async def preview_step(self, request: Request, slug: FromPath[str], draft: FromPath[str]) -> Template | Redirect:
        d = await self._draft(request, draft)
        if not d.questions:
            return self._to(request, draft)
        form = await request.form()
        lang = str(form.get("lang", "en"))
        language = i18n.language(lang if lang in i18n.SUPPORTED else "en")
        definition = d.definition
        assert definition is not None  # it has questions
        pages = definition.pages
        index = min(whole_number(form.get("page", "0"), 0, 10**6) or 0, len(pages) - 1)
        if form.get("nav") == "back":
            return self._preview(request, d, language, index - 1)
        current = pages[index]
        raw = [v for v in form.getall(current.answer_key, []) if isinstance(v, str) and v.strip()]
        try:
            check_page(current, raw)
        except InvalidAnswers as e:  # the lead sees the message a respondent would
            return self._preview(request, d, language, index, e.errors, raw)
        if index + 1 >= len(pages):
            return self._to(request, draft, done="preview finished: nothing was saved")
        return self._preview(request, d, language, index + 1)

    # -- publishing ---------------------------------------------------------------------------------

    @post("/drafts/{draft:str}/publish", opt=DRAFT, status_code=200)
    async def publish(self, request: Request, slug: FromPath[str], draft: FromPath[str]) -> Template | Redirect:
        d = await self._draft(request, draft)
        form = await request.form()
        try:
            version, created, moved = await builder.publish(
                d, actor=await self._actor(request), move_open_sessions=form.get("move_sessions") == "yes"
            )
        except builder.BuilderError as e:
            return await self._draft_page(request, d, e.errors, status=400)
        outcome = f"{d.slug} version {version['number']}" + ("" if created else " (unchanged)")
        if moved:
            outcome += f"; {moved} open session{'s' if moved != 1 else ''} moved to it"
        return Redirect(f"/lead/{slug}/questionnaires?imported={quote(outcome)}", status_code=303)

    @post("/drafts/{draft:str}/discard", opt=DRAFT, status_code=200)
    async def discard(self, request: Request, slug: FromPath[str], draft: FromPath[str]) -> Template | Redirect:
        d = await self._draft(request, draft)
        ask = await unless_confirmed(
            request,
            question=f'Throw away the draft of "{d.title}"?',
            consequences="Every change in this draft is lost. Published versions are not changed.",
            button="Yes, throw it away",
            back=f"/lead/{slug}/questionnaires/drafts/{draft}/",
        )
        if ask is not None:
            return ask
        await builder.discard(d, actor=await self._actor(request))
        return Redirect(f"/lead/{slug}/questionnaires", status_code=303)


__all__ = ["BuilderPages", "question_from_form"]
