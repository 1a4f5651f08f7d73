"""The composition root: the one place that assembles Heard's web application.

It wires the domain packages (:mod:`surveys`, :mod:`voice`) into Litestar: routes, templates,
static files, error handling, security headers, CSRF, the database pool's lifetime and the
request log. Nothing else knows how the app is put together.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import time
from typing import cast

from litestar import Litestar, Request, Response, get
from litestar.config.compression import CompressionConfig
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import CacheControlHeader, MutableScopeHeaders, State
from litestar.file_system import BaseLocalFileSystem
from litestar.openapi import OpenAPIConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from frontend import STATIC
from frontend.api import v1 as api_v1
from frontend.core import access, bodies, errors, limits
from frontend.core.rendering import environment, page
from frontend.core.settings import Settings
from frontend.documents.summary_themes import summary_themes
from frontend.lead import (
    accounts,
    admin_initiatives,
    builder,
    dashboard,
    initiatives,
    paper,
    people,
    privacy,
    questionnaires_and_sessions,
    quotes,
    reach,
    responses,
    session_changes,
    summary,
)
from frontend.partner import shared
from frontend.respondent import codes, forms, kiosk
from surveys import keys
from surveys.db import HeardPostgresEngine, HeardSQLiteEngine, forget_kept
from surveys.retention import DailyPurge
from surveys.tables import Initiative
from voice.analysis import ThemingWorker
from voice.drafts import DraftWorker
from voice.stoplist import text_filter_for


class StaticFiles(BaseLocalFileSystem):
    """The shipped files. A name no file could have (longer than the disk allows, or with a NUL
    in it) is simply not there, where Litestar would answer a server error."""

    async def info(self, path, **kwargs):
        try:
            return await super().info(path, **kwargs)
        except (OSError, ValueError) as e:
            if isinstance(e, OSError) and e.errno != errno.ENAMETOOLONG:
                raise  # not found, not allowed, or a real fault
            raise FileNotFoundError(errno.ENOENT, "no such file") from None

APP_BODY_LIMIT = 1024 * 1024

# No inline script or style anywhere; the token in a respondent URL never leaves in a Referer.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

access_log = logging.getLogger("heard.access")


class AccessLog:
    """The request log's lines, handed to the logging handlers a batch at a time.

    Each line is a record of its own, made (and timed) when its request ends; the records wait
    at most :attr:`delay` seconds and then go to the handlers together. Handing them over one
    by one woke the logging thread (Litestar's queue listener) for every request, and that
    wake-up cost more than the line itself. Nothing is dropped: :meth:`flush` also runs when
    the app stops.
    """

    delay = 0.02

    def __init__(self, logger: logging.Logger = access_log) -> None:
        self.logger = logger
        self.pending: list[logging.LogRecord] = []
        self._timer: asyncio.TimerHandle | None = None
        self._timer_loop: asyncio.AbstractEventLoop | None = None

    def add(self, method: str | None, route: str, status: int, ms: float) -> None:
        logger = self.logger
        if not logger.isEnabledFor(logging.INFO):
            return
        self.pending.append(logger.makeRecord(logger.name, logging.INFO, __file__, 0, "%s %s %s %.1fms",
                                              (method, route, status, ms), None))
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop: write it now
            self.flush()
            return
        if self._timer is not None and self._timer_loop is not loop:  # a timer on a loop now gone
            self.flush()
        if self._timer is None:
            self._timer, self._timer_loop = loop.call_later(self.delay, self.flush), loop

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        pending, self.pending = self.pending, []
        for record in pending:
            self.logger.handle(record)


def request_log(app: ASGIApp, log: AccessLog | None = None) -> ASGIApp:
    """Log method, route pattern, status and time: never a token, a query string, an IP or a body."""
    log = log or AccessLog()

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def capture(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, capture)
        finally:
            route = scope.get("path_template") or _generalise(scope.get("path", ""))
            log.add(cast("str | None", scope.get("method")), route, status, (time.perf_counter() - started) * 1000)

    return middleware


def request_logging(log: AccessLog):
    """The request log as app middleware, all routes writing through one :class:`AccessLog`."""

    def wrap(app: ASGIApp) -> ASGIApp:
        return request_log(app, log)

    return wrap


def _generalise(path: str) -> str:
    """Hide tokens in paths that matched no route (e.g. 404s)."""
    parts = path.split("/")
    if len(parts) > 2 and parts[1] in ("s", "k", "c", "api"):
        return "/".join(parts[:2] + ["…"])
    return path


# Only sent when Heard is served over HTTPS: browsers then refuse plain HTTP for a year.
HSTS = "max-age=31536000; includeSubDomains"


async def _security_headers(response: Response) -> Response:
    # async on purpose: Litestar runs a plain function hook in a worker thread, on every request.
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _headers_on_everything(https: bool):
    """The security headers (and HSTS over HTTPS) on every response, even those no route handled
    (404s, 405s), which skip ``after_request``."""
    wanted = {**SECURITY_HEADERS, **({"Strict-Transport-Security": HSTS} if https else {})}

    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":
            headers = MutableScopeHeaders.from_message(message)
            for name, value in wanted.items():
                if name not in headers:
                    headers[name] = value

    return before_send


@get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    return page(request, "home.html")


@get("/healthz", tags=["Service"], summary="Is the service up and its database reachable?")
async def healthz() -> Response[dict]:
    try:
        await Initiative.count()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return Response({"status": "unavailable", "database": "unreachable"}, status_code=503,
                        headers={"Retry-After": errors.RETRY_AFTER_SECONDS})
    return Response({"status": "ok", "database": "ok"})


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the app. ``heard serve`` and the tests call this; uvicorn calls it as a factory."""
    settings = settings or Settings.from_env()
    engine = cast("HeardSQLiteEngine | HeardPostgresEngine", Initiative._meta.db)  # as engine_from_url makes
    daily_purge = DailyPurge()
    theming = ThemingWorker()
    drafts = DraftWorker()  # voice notes' machine drafts, in a process of their own
    limiter = limits.SessionLimiter()
    requests = AccessLog()

    async def open_database() -> None:
        keys.check_all()
        forget_kept()  # nothing read from another database (or an earlier app) is trusted
        # A small floor, a modest ceiling: several processes (and hosts) share PostgreSQL's
        # max_connections. Ignored by SQLite's single writer and pooled readers.
        await engine.start_connection_pool(min_size=1, max_size=10)
        daily_purge.start()
        theming.start(await Initiative.select(Initiative.id).output(as_list=True))
        drafts.start()

    async def close_database() -> None:
        await drafts.stop()
        await theming.stop()
        await daily_purge.stop()
        await engine.close_connection_pool()
        requests.flush()

    app = Litestar(
        route_handlers=[
            home,
            healthz,
            forms.ParentPages,
            kiosk.KioskPages,
            kiosk.service_worker,
            forms.privacy_notice,
            codes.participant_card,
            codes.KioskCodePage,
            privacy.PrivacyPages,
            initiatives.SignIn,
            initiatives.InitiativePages,
            dashboard.LivePages,
            paper.PaperPages,
            questionnaires_and_sessions.SetupPages,
            builder.BuilderPages,
            session_changes.SessionChanges,
            people.PeoplePages,
            summary.SummaryPages,
            shared.shared_summary,
            quotes.ModerationPages,
            accounts.AccountPages,
            accounts.UserAdmin,
            admin_initiatives.InitiativeAdmin,
            accounts.AuditPages,
            reach.ReachPages,
            responses.ResponsePages,
            api_v1.SessionsAPI,
            create_static_files_router(
                path="/static", directories=[STATIC], file_system=StaticFiles(), include_in_schema=False,
                cache_control=CacheControlHeader(max_age=86400, public=True), send_as_attachment=False,
            ),
        ],
        template_config=TemplateConfig(engine=JinjaTemplateEngine.from_environment(environment())),
        exception_handlers={Exception: errors.handle},
        after_request=_security_headers,
        # Patchy phone data: gzip pages and assets. Not the lead pages, which carry CSRF tokens
        # beside reflected text (BREACH), nor streamed downloads.
        compression_config=CompressionConfig(
            backend="gzip", minimum_size=500, gzip_compress_level=6, exclude=["^/lead", "^/shared"]
        ),
        before_send=[_headers_on_everything(settings.base_url.startswith("https://"))],
        # Every route declares who may use it; this one guard checks (see frontend/core/access.py).
        guards=[access.guard],
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name="heard_csrf",
            cookie_httponly=True,
            cookie_secure=settings.base_url.startswith("https://"),
            # Respondents have no account and no cookie; their routes carry no session to forge.
            exclude=["^/s/", "^/k/", "^/api/", "^/static/", "^/healthz"],
        ),
        # Pages, styles and scripts travel gzipped: the kiosk page is ~13 KB instead of ~45 KB.
        openapi_config=OpenAPIConfig(title="Heard API", version="1", path="/schema"),
        on_startup=[open_database],
        on_shutdown=[close_database],
        middleware=[request_logging(requests), limits.respondent_limits(limiter), bodies.body_checks],
        request_class=bodies.HeardRequest,
        request_max_body_size=APP_BODY_LIMIT,
        state=State({
            "settings": settings,
            # Redaction with the initiative's stop-list (staff, schools), for new answers: every face
            # passes this and theming's add to surveys.submissions.take.
            "text_filter_for": text_filter_for,
            "limiter": limiter,
            # Themes and sentiment of new answers, worked out in batches after they are stored.
            "theming": theming,
            "drafts": drafts,
            # Themes and approved quotes for partner summaries (voice composed into surveys).
            "summary_themes": summary_themes,
        }),
        debug=False,
    )
    return app
