"""Lead pages for people's own words: the quote moderation queue, the codebook, the stop-list and
voice notes (``/lead/{slug}/quotes``, ``/codebook``, ``/voice-notes/…``).

Every route declares an initiative scope in ``opt`` (:mod:`frontend.core.access`), so a lead only
ever sees, hears or changes their
own initiatives' answers; anything else is a 404. Viewers may look but not decide. Every
decision is audited by the :mod:`voice` functions these pages call.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import ClientException, NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from frontend.core import access
from frontend.core.rendering import page
from frontend.lead.confirm import unless_confirmed
from frontend.lead.initiatives import current_account
from frontend.lead.responses import _page_number, pagination
from surveys import text as texts
from surveys.errors import NotFound
from surveys.tables import Answer
from voice import analysis, audio, quotes, stoplist
from voice.codebook_versions import (
    add_keyword,
    add_theme,
    current_codebook,
    edit_theme,
    ignore_proposal,
    ignored_proposals,
    remove_theme,
    versions,
)
from voice.tables import AnswerAnalysis
from voice.text import sentiment, tagged_noun_phrases
from voice.themes import CodebookError, propose_themes

STATUSES = ("waiting", "approved", "rejected", "all")
PROPOSAL_SAMPLE = 600  # newest answers read for suggested themes (parsing costs ~5 ms an answer)
# Suggestions per initiative, kept until an answer arrives or the codebook or ignore list changes.
_proposal_cache: dict[int, tuple[tuple, list]] = {}


async def _editor(request: Request) -> str:
    """The signed-in account's email, if it may change things (viewers may only look)."""
    account = await current_account(request)
    if account is None or account.role == "viewer":
        raise PermissionDeniedException("Viewers can look but not change anything.")
    return account.email


MESSAGE_IN_LINK = 300  # characters of a message carried in the redirect (a quoted value can be huge)


def _back(slug: str, page_name: str = "quotes", **query) -> Redirect:
    # A refusal can quote what was typed (20,000 characters, say): cut it, or the Location header
    # grows past what a browser or proxy accepts and the lead sees a broken page instead.
    query = {k: v if len(v) <= MESSAGE_IN_LINK else v[: MESSAGE_IN_LINK - 1] + "…" for k, v in query.items() if v}
    return Redirect(f"/lead/{slug}/{page_name}" + (f"?{urlencode(query)}" if query else ""), status_code=303)


async def _proposals(initiative_id: int, codebook) -> list:
    rows = await (
        Answer.select(Answer.id, Answer.text)
        .where((Answer.response.initiative == initiative_id) & Answer.text.is_not_null())
        .order_by(Answer.response, Answer.id, ascending=False)  # the written answers' index order, newest first
        .limit(PROPOSAL_SAMPLE)
    )
    ignored = await ignored_proposals(initiative_id)
    key = (codebook.version, rows[0]["id"] if rows else 0, len(rows), frozenset(ignored))
    cached = _proposal_cache.get(initiative_id)
    if cached is not None and cached[0] == key:
        return cached[1]
    # Parsing is CPU work: off the event loop, so other requests carry on meanwhile. Pattern loads
    # its lexicons lazily; load them here first so no two threads ever race to do it.
    tagged_noun_phrases("A warm room.")
    sentiment("A warm room.")
    found = await asyncio.to_thread(propose_themes, [r["text"] for r in rows], codebook,
                                    max_proposals=10 + len(ignored))
    proposals = [p for p in found if p.phrase.lower() not in ignored][:10]
    _proposal_cache[initiative_id] = (key, proposals)
    return proposals


async def _outdated(initiative_id: int, version: int) -> int:
    return await AnswerAnalysis.count().where(
        (AnswerAnalysis.answer._.response._.initiative == initiative_id) & (AnswerAnalysis.codebook_version != version))


class ModerationPages(Controller):
    opt = access.initiative("lead")
    path = "/lead/{slug:str}"
    include_in_schema = False

    # -- the queue

    @get("/quotes")
    async def queue(self, request: Request, slug: FromPath[str]) -> Template:
        initiative = request.state.initiative
        status = request.query_params.get("status", "waiting")
        theme = request.query_params.get("theme")
        status = status if status in STATUSES else "waiting"
        # Pick up anything whose background theming never ran (a restart at the wrong moment).
        await analysis.theme_unthemed(initiative["id"], newest=analysis.RECENT_WRITTEN)
        codebook = await current_codebook(initiative["id"])
        names = {t.key: t.name for t in codebook.themes}
        theme = theme if theme in names else None
        found = await quotes.queue_page(initiative["id"], status=status, theme_key=theme,
                                        number=_page_number(request.query_params.get("page")))

        def link(number: int) -> str:
            query = {"status": status if status != "waiting" else "", "theme": theme or "",
                     "page": str(number) if number > 1 else ""}
            return f"/lead/{slug}/quotes" + (f"?{urlencode({k: v for k, v in query.items() if v})}"
                                              if any(query.values()) else "")

        return page(
            request,
            "lead/quotes.html",
            account=await current_account(request),
            initiative=initiative,
            shown=status,
            statuses=STATUSES,
            theme=theme,
            items=found.items,
            found=found,
            pages=[(n, n and link(n)) for n in pagination(found.number, found.pages)],
            previous=found.number > 1 and link(found.number - 1),
            next=found.number < found.pages and link(found.number + 1),
            theme_names=names,
            counts=await analysis.theme_counts(initiative["id"]),
            codebook=codebook,
            outdated=await _outdated(initiative["id"], codebook.version),
            proposals=await _proposals(initiative["id"], codebook),
            voice_notes=await audio.notes_to_transcribe(initiative["id"]),
            mood_word=quotes.mood_word,
            approved_preview=await quotes.approved_quotes(initiative["id"], limit=3),
            message=request.query_params.get("done"),
        )

    @post("/quotes/{answer_id:int}/approve", opt=access.initiative("lead", answer_id="answer"))
    async def approve(self, request: Request, slug: FromPath[str], answer_id: FromPath[int]) -> Redirect:
        actor = await _editor(request)
        form = await request.form()
        try:
            await quotes.approve(request.state.initiative["id"], answer_id, actor=actor,
                                 text=str(form.get("text")) if form.get("text") is not None else None)
        except NotFound:
            raise NotFoundException() from None
        except quotes.NotQuotable as e:
            raise ClientException(str(e)) from None
        return _back(slug, status=str(form.get("status", "")), done="approved")

    @post("/quotes/{answer_id:int}/reject", opt=access.initiative("lead", answer_id="answer"))
    async def reject(self, request: Request, slug: FromPath[str], answer_id: FromPath[int]) -> Redirect:
        actor = await _editor(request)
        form = await request.form()
        try:
            await quotes.reject(request.state.initiative["id"], answer_id, actor=actor)
        except NotFound:
            raise NotFoundException() from None
        return _back(slug, status=str(form.get("status", "")), done="rejected")

    @post("/quotes/{answer_id:int}/retheme", opt=access.initiative("lead", answer_id="answer"))
    async def retheme_one(self, request: Request, slug: FromPath[str], answer_id: FromPath[int]) -> Redirect:
        await _editor(request)
        form = await request.form()
        if not await analysis.retheme(request.state.initiative["id"], [answer_id]):
            raise NotFoundException()
        return _back(slug, status=str(form.get("status", "")), done="rethemed")

    @post("/quotes/retheme")
    async def retheme_all(self, request: Request, slug: FromPath[str]) -> Redirect:
        actor = await _editor(request)
        initiative = request.state.initiative
        await analysis.retheme(initiative["id"], actor=actor)
        return _back(slug, done="rethemed")

    # -- suggested themes

    @post("/proposals/accept")
    async def accept_proposal(self, request: Request, slug: FromPath[str]) -> Redirect:
        actor = await _editor(request)
        form = await request.form()
        phrase = " ".join(str(form.get("phrase", "")).split())
        name = " ".join(str(form.get("name", "")).split()) or phrase[:1].upper() + phrase[1:]
        if not phrase:
            raise ClientException("Choose a suggested theme")
        try:
            await add_theme(request.state.initiative["id"], name=name,
                            description=f"Suggested by answers mentioning \u201c{phrase}\u201d.",
                            keywords=[phrase], actor=actor)
        except CodebookError as e:
            raise ClientException(str(e)) from None
        return _back(slug, done="theme-added")

    @post("/proposals/merge")
    async def merge_proposal(self, request: Request, slug: FromPath[str]) -> Redirect:
        actor = await _editor(request)
        form = await request.form()
        phrase = " ".join(str(form.get("phrase", "")).split())
        try:
            await add_keyword(request.state.initiative["id"], str(form.get("theme", "")), phrase, actor=actor)
        except CodebookError as e:
            raise ClientException(str(e)) from None
        return _back(slug, done="merged")

    @post("/proposals/ignore")
    async def ignore_proposal(self, request: Request, slug: FromPath[str]) -> Redirect:
        actor = await _editor(request)
        form = await request.form()
        phrase = " ".join(texts.answer(str(form.get("phrase", ""))).split())[:200]
        await ignore_proposal(request.state.initiative["id"], phrase, actor=actor)
        return _back(slug, done="ignored")

    # -- the codebook and stop-list

    @get("/codebook")
    async def codebook(self, request: Request, slug: FromPath[str]) -> Template:
        initiative = request.state.initiative
        return page(
            request,
            "lead/codebook.html",
            account=await current_account(request),
            initiative=initiative,
            codebook=await current_codebook(initiative["id"]),
            versions=await versions(initiative["id"]),
            counts=await analysis.theme_counts(initiative["id"]),
            stop_list=await stoplist.stop_list(initiative["id"]),
            message=request.query_params.get("done"),
            error=request.query_params.get("error"),
        )

    async def _codebook_change(self, request: Request, slug: str, change) -> Redirect:
        try:
            await change
        except CodebookError as e:
            return _back(slug, "codebook", error=str(e))
        return _back(slug, "codebook", done="saved")

    @post("/codebook/themes")
    async def add_theme(self, request: Request, slug: FromPath[str]) -> Redirect:
        actor = await _editor(request)
        form = await request.form()
        return await self._codebook_change(request, slug, add_theme(
            request.state.initiative["id"], name=str(form.get("name", "")),
            description=str(form.get("description", "")), keywords=str(form.get("keywords", "")), actor=actor,
            examples=str(form.get("examples", ""))))

    @post("/codebook/themes/{key:str}/edit", opt=access.initiative("lead", names=("key",)))
    async def edit_theme(self, request: Request, slug: FromPath[str], key: FromPath[str]) -> Redirect:
        actor = await _editor(request)
        form = await request.form()
        return await self._codebook_change(request, slug, edit_theme(
            request.state.initiative["id"], key, name=str(form.get("name", "")),
            description=str(form.get("description", "")), keywords=str(form.get("keywords", "")), actor=actor,
            examples=str(form["examples"]) if "examples" in form else None))

    @post("/codebook/themes/{key:str}/remove", opt=access.initiative("lead", names=("key",)))
    async def remove_theme(self, request: Request, slug: FromPath[str], key: FromPath[str]) -> Template | Redirect:
        actor = await _editor(request)
        ask = await unless_confirmed(
            request, question=f"Remove the theme {key!r} from the codebook?",
            consequences="Answers lose this theme, and summaries stop showing it. A new codebook version is made, "
            "so the old one stays on record.", button="Yes, remove this theme", back=f"/lead/{slug}/codebook")
        if ask is not None:
            return ask
        return await self._codebook_change(request, slug, remove_theme(request.state.initiative["id"], key,
                                                                       actor=actor))

    @post("/stop-list")
    async def add_stop_name(self, request: Request, slug: FromPath[str]) -> Redirect:
        actor = await _editor(request)
        form = await request.form()
        await stoplist.add_stop_name(request.state.initiative["id"], str(form.get("name", "")), actor=actor)
        return _back(slug, "codebook", done="stop-list")

    @post("/stop-list/{stop_id:int}/remove", opt=access.initiative("lead", stop_id="stop_name"))
    async def remove_stop_name(self, request: Request, slug: FromPath[str], stop_id: FromPath[int]) -> Template | Redirect:
        actor = await _editor(request)
        ask = await unless_confirmed(
            request, question="Remove this name from the stop-list?",
            consequences="New answers that mention it will no longer have it taken out. Answers already stored "
            "stay as they are.", button="Yes, remove it", back=f"/lead/{slug}/codebook")
        if ask is not None:
            return ask
        await stoplist.remove_stop_name(request.state.initiative["id"], stop_id, actor=actor)
        return _back(slug, "codebook", done="stop-list")

    # -- voice notes

    @get("/voice-notes/{note_id:int}", opt=access.initiative("lead", note_id="voice_note"))
    async def listen(self, request: Request, slug: FromPath[str], note_id: FromPath[int]) -> Response[bytes]:
        try:
            content, media_type = await audio.play(request.state.initiative["id"], note_id)
        except NotFound:
            raise NotFoundException() from None
        return Response(content, media_type=media_type,
                        headers={"Cache-Control": "no-store", "Content-Disposition": "inline"})

    @post("/voice-notes/{note_id:int}/transcribe", opt=access.initiative("lead", note_id="voice_note"))
    async def transcribe(self, request: Request, slug: FromPath[str], note_id: FromPath[int]) -> Redirect:
        actor = await _editor(request)
        form = await request.form()
        initiative_id = request.state.initiative["id"]
        try:
            answer_id = await audio.transcribe(initiative_id, note_id, str(form.get("text", "")), actor=actor)
        except NotFound:
            raise NotFoundException() from None
        except audio.VoiceNoteRefused as e:
            raise ClientException(str(e)) from None
        await analysis.retheme(initiative_id, [answer_id])
        return _back(slug, done="transcribed")

    @post("/voice-notes/{note_id:int}/delete", opt=access.initiative("lead", note_id="voice_note"))
    async def delete_note(self, request: Request, slug: FromPath[str], note_id: FromPath[int]) -> Template | Redirect:
        actor = await _editor(request)
        ask = await unless_confirmed(
            request, question="Delete this voice note?",
            consequences="The recording is deleted for good and can't be typed out afterwards.",
            button="Yes, delete the recording", back=f"/lead/{slug}/quotes")
        if ask is not None:
            return ask
        await audio.delete_note(request.state.initiative["id"], note_id, actor=actor)
        return _back(slug, done="deleted")
