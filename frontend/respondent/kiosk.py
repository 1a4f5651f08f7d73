"""The child's tablet (``/k/{token}``): a kiosk one child after another uses, and an adult runs.

Screens: the adult's setup screen (``/k/{token}``: safeguarding contact, unsent answers, Start);
then, for each child, a practice question (``/k/{token}/practice``, never stored), one question
at a time, and "All done!", after which the tablet is ready for the next child.

With JavaScript (``static/kiosk.js``) the whole child's turn happens inside the practice page:
answers stay in memory, go to an on-device outbox (IndexedDB) at the end and are sent through
the JSON API, so the tablet works offline and nothing of a child is left in the history.

Without JavaScript it is the parent form's hidden-field flow, made safe for a shared device: every
page is ``no-store``, each question page carries a signed time stamp, and a posted page is
refused (and the tablet sent back to the practice question) once its child has finished, or once
it is older than the 60 s idle limit, after which the tablet resets by itself anyway. So Back or
reload can never bring a previous child's answers back.

Leaving the kiosk needs the session's PIN (see :mod:`surveys.kiosk`).
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid

from babel import Locale
from litestar import Request, get, post
from litestar.exceptions import ClientException
from litestar.params import FromPath
from litestar.response import File, Redirect, Template

from frontend import STATIC
from frontend.core import i18n
from frontend.core.rendering import language_of
from frontend.respondent import audio
from frontend.respondent.forms import VOICE_FIELDS, RespondentPages
from frontend.respondent.journeys import KIOSK
from surveys.kiosk import already_sent, kiosk_pin_of, pin_matches
from surveys.questionnaires import Page, Question
from surveys.scales import N_, SCALES
from surveys.sessions import OpenSession, open_session

IDLE_SECONDS = 60  # a child's turn resets after this long without a touch
DONE_SECONDS = 10  # "All done!" stays this long before the next child's practice question
PIN_TRIES = 5  # wrong PINs in a row before the PIN screen makes the adult wait
PIN_WAIT_SECONDS = 60
SERVICE_WORKER = STATIC / "sw.js"

PRACTICE = Page(
    question=Question(
        key="practice",
        type="choice",
        text=N_("How does having a party make you feel?"),
        required=False,
        options=SCALES["faces3"].ordered,
        faces=True,
    ),
    answer_key="practice",
    text=N_("How does having a party make you feel?"),
)

_wrong_pins: dict[int, tuple[int, float]] = {}  # per session: (wrong tries, time of the last)


def stamp(secret: str, submission_id: str, now: float | None = None) -> str:
    """A signed "this page was shown at" for a no-JS kiosk form."""
    issued = int(now if now is not None else time.time())
    mac = hmac.new(secret.encode(), f"kiosk:{submission_id}:{issued}".encode(), hashlib.sha256).hexdigest()
    return f"{issued}.{mac[:32]}"


def stamp_is_fresh(secret: str, submission_id: str, value: str, now: float | None = None) -> bool:
    try:
        issued = int(value.split(".", 1)[0])
    except ValueError:
        return False
    if not hmac.compare_digest(stamp(secret, submission_id, issued), value):
        return False
    age = (now if now is not None else time.time()) - issued
    return 0 <= age <= IDLE_SECONDS


def queue_forms(language: i18n.Language) -> dict[str, str]:
    """"{n} answers waiting to send" in each plural form the language has, for the page's script."""
    plural = Locale.parse(language.code).plural_form
    examples: dict[str, int] = {}
    for n in range(0, 200):
        examples.setdefault(plural(n), n)
    examples.setdefault("other", 5)  # e.g. Polish uses "other" only for fractions; keep a fallback
    return {
        category: language.ngettext("%(num)s answer waiting to send", "%(num)s answers waiting to send", n)
        .replace(str(n), "{n}", 1)
        for category, n in examples.items()
    }


class KioskPages(RespondentPages):
    path = "/k"
    journey = KIOSK

    def _render(self, request: Request, session: OpenSession, language: i18n.Language, name: str, *,
                status: int = 200, **context) -> Template:
        if "submission_id" in context:
            context["stamp"] = stamp(request.app.state.settings.secret_key, context["submission_id"])
        return super()._render(
            request, session, language, name, status=status, audio=audio.clip_for, idle_seconds=IDLE_SECONDS,
            done_seconds=DONE_SECONDS, queue_forms=queue_forms(language), **context,
        )

    def _practice_url(self, session: OpenSession, language: i18n.Language) -> str:
        return f"{self.journey.prefix}/{session.token}/practice?lang={language.code}"

    @get("/{token:str}")
    async def start(self, request: Request, token: FromPath[str]) -> Template:
        """The adult's setup screen: who to tell about a worry, unsent answers, and Start."""
        session = await open_session(token)
        if self.journey.cannot_ask(session):
            return self._cannot_ask(request, session, language_of(request))
        return self._render(
            request, session, language_of(request), "start",
            pin_set=bool(await kiosk_pin_of(session.id)),
            total=len(self.journey.pages(session)),
        )

    @get("/{token:str}/practice")
    async def practice(self, request: Request, token: FromPath[str]) -> Template:
        """Each child's first screen; with JavaScript, the whole of each child's turn."""
        session = await open_session(token)
        if self.journey.cannot_ask(session):
            return self._cannot_ask(request, session, language_of(request))
        return self._render(
            request, session, language_of(request), "practice",
            submission_id=str(uuid.uuid4()),
            practice=PRACTICE,
            pages=self.journey.pages(session),
            pin_hash=await kiosk_pin_of(session.id) or "",
        )

    @post("/{token:str}", status_code=200, file_fields=VOICE_FIELDS)
    async def step(self, request: Request, token: FromPath[str]) -> Template | Redirect:
        session = await open_session(token)
        form = await request.form()
        language = i18n.choose(form.get("lang"), request.headers.get("accept-language"))
        try:
            submission_id = uuid.UUID(str(form.get("submission_id", "")))
        except ValueError:
            raise ClientException("This form is out of date. Please start again.") from None
        keys = {p.answer_key for p in self.journey.pages(session)}
        carries_answers = form.get("page") != "-1" or any(k in keys for k in form)
        stale = carries_answers and not stamp_is_fresh(
            request.app.state.settings.secret_key, str(submission_id), str(form.get("stamp", ""))
        )
        if stale or await already_sent(submission_id):
            # A finished or abandoned child's page, brought back by Back or reload: never show it.
            return Redirect(self._practice_url(session, language), status_code=303)
        if form.get("nav") == "back" and form.get("page") in ("-1", "0"):
            return Redirect(self._practice_url(session, language), status_code=303)
        return await RespondentPages.step.fn(self, request=request, token=token)

    @get("/{token:str}/adult")
    async def adult(self, request: Request, token: FromPath[str]) -> Template | Redirect:
        """The PIN screen between the children's screens and the adult's."""
        session = await open_session(token)
        language = language_of(request)
        if not await kiosk_pin_of(session.id):
            return Redirect(f"{self.journey.prefix}/{session.token}?lang={language.code}", status_code=303)
        return self._render(request, session, language, "adult", error="")

    @post("/{token:str}/adult", status_code=200)
    async def unlock(self, request: Request, token: FromPath[str]) -> Template | Redirect:
        session = await open_session(token)
        form = await request.form()
        language = i18n.choose(form.get("lang"), request.headers.get("accept-language"))
        stored = await kiosk_pin_of(session.id)
        tries, last = _wrong_pins.get(session.id, (0, 0.0))
        if tries >= PIN_TRIES and time.monotonic() - last < PIN_WAIT_SECONDS:
            return self._render(request, session, language, "adult", status=429,
                                error=N_("Too many wrong PINs. Wait a minute, then try again."))
        if stored and not pin_matches(stored, str(form.get("pin", ""))):
            _wrong_pins[session.id] = (tries + 1 if tries < PIN_TRIES else 1, time.monotonic())
            return self._render(request, session, language, "adult", status=422,
                                error=N_("That PIN is not right."))
        _wrong_pins.pop(session.id, None)
        return Redirect(f"{self.journey.prefix}/{session.token}?lang={language.code}", status_code=303)


@get("/k/sw.js", include_in_schema=False)
async def service_worker() -> File:
    """The kiosk's service worker, served from /k/ so its scope covers every kiosk."""
    return File(
        SERVICE_WORKER,
        filename="sw.js",
        media_type="text/javascript",
        content_disposition_type="inline",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/k/"},
    )
