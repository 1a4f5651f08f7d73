"""The composition root: the one place that assembles Heard's web application.

It wires the domain packages (:mod:`surveys`, :mod:`voice`) into Litestar: routes, templates,
static files, error handling, security headers, CSRF, the database pool's lifetime and the
request log. Nothing else knows how the app is put together.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from litestar import Litestar, Request, Response, get
from litestar.config.csrf import CSRFConfig
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import ASGIApp, Receive, Scope, Send

from frontend import api, errors, lead, reach_pages, respond
from frontend.rendering import environment, page
from frontend.settings import Settings
from surveys import keys
from surveys.tables import Initiative
from voice.redaction import redact

STATIC = Path(__file__).parent / "static"
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


def request_log(app: ASGIApp) -> ASGIApp:
    """Log method, route pattern, status and time: never a token, a query string, an IP or a body."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {}

        async def capture(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await app(scope, receive, capture)
        finally:
            route = scope.get("path_template") or _generalise(scope.get("path", ""))
            access_log.info(
                "%s %s %s %.1fms", scope.get("method"), route, status.get("code", 500),
                (time.perf_counter() - started) * 1000,
            )

    return middleware


def _generalise(path: str) -> str:
    """Hide tokens in paths that matched no route (e.g. 404s)."""
    parts = path.split("/")
    if len(parts) > 2 and parts[1] in ("s", "k", "api"):
        return "/".join(parts[:2] + ["…"])
    return path


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


@get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    return page(request, "home.html")


@get("/healthz", tags=["Service"], summary="Is the service up and its database reachable?")
async def healthz() -> Response[dict]:
    try:
        await Initiative.count()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return Response({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return Response({"status": "ok", "database": "ok"})


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the app. ``heard serve`` and the tests call this; uvicorn calls it as a factory."""
    settings = settings or Settings.from_env()
    engine = Initiative._meta.db

    async def open_database() -> None:
        keys.check_all()
        await engine.start_connection_pool()

    async def close_database() -> None:
        await engine.close_connection_pool()

    app = Litestar(
        route_handlers=[
            home,
            healthz,
            respond.ParentPages,
            respond.KioskPages,
            respond.privacy_notice,
            lead.SignIn,
            lead.InitiativePages,
            reach_pages.ReachPages,
            api.SessionsAPI,
            create_static_files_router(
                path="/static", directories=[STATIC], include_in_schema=False,
                cache_control=None, send_as_attachment=False,
            ),
        ],
        template_config=TemplateConfig(engine=JinjaTemplateEngine.from_environment(environment())),
        exception_handlers={Exception: errors.handle},
        after_request=_security_headers,
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name="heard_csrf",
            cookie_httponly=True,
            cookie_secure=settings.base_url.startswith("https://"),
            # Respondents have no account and no cookie; their routes carry no session to forge.
            exclude=["^/s/", "^/k/", "^/api/", "^/static/", "^/healthz"],
        ),
        openapi_config=OpenAPIConfig(title="Heard API", version="1", path="/schema"),
        on_startup=[open_database],
        on_shutdown=[close_database],
        middleware=[request_log],
        request_max_body_size=APP_BODY_LIMIT,
        state=State({"settings": settings, "text_filter": lambda text: redact(text).text}),
        debug=False,
    )
    return app
