"""One place that turns any error into a page for people or problem details for programs.

What the request asked for decides: paths under ``/api`` (or an ``Accept`` of JSON) get
``application/problem+json`` (RFC 9457); everyone else gets a short, kind HTML page. Neither
ever shows a stack trace.
"""

from __future__ import annotations

import logging

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Redirect

from frontend.rendering import page
from surveys.errors import NotFound, SessionClosed, SessionNotOpenYet
from surveys.questionnaires import InvalidAnswers
from surveys.responses import SubmissionConflict

log = logging.getLogger("heard")

TITLES = {
    400: "Bad request",
    401: "Sign in needed",
    403: "Not allowed",
    404: "Page not found",
    405: "Method not allowed",
    409: "Conflict",
    410: "This has closed",
    413: "Too much was sent",
    422: "Some answers need another look",
    429: "Too many requests",
    500: "Sorry, something went wrong",
    503: "Sorry, the service is unavailable",
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def problem(status: int, detail: str, **extra) -> Response:
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status, "detail": detail, **extra}
    return Response(body, status_code=status, media_type="application/problem+json")


def classify(exc: Exception) -> tuple[int, str, dict]:
    if isinstance(exc, InvalidAnswers):
        return 422, "Some answers are missing or not allowed.", {"errors": exc.errors}
    if isinstance(exc, NotFound):
        return 404, str(exc) or "Not found.", {}
    if isinstance(exc, SessionClosed):
        return 410, "This questionnaire has closed.", {}
    if isinstance(exc, SessionNotOpenYet):
        return 403, "This questionnaire is not open yet.", {"opens_at": exc.opens_at.isoformat()}
    if isinstance(exc, SubmissionConflict):
        return 409, str(exc), {}
    if isinstance(exc, ValidationException):
        errors = {
            (e.get("key") or "body"): e.get("message", "Invalid") for e in (exc.extra or []) if isinstance(e, dict)
        }
        return 400, "The request was not in the expected form.", {"errors": errors} if errors else {}
    if isinstance(exc, HTTPException):
        return exc.status_code, exc.detail or TITLES.get(exc.status_code, "Error"), {}
    log.error("Unhandled %s", type(exc).__name__, exc_info=exc)
    return 500, "Something went wrong on our side. Your answers were not lost if you saw no error before.", {}


def handle(request: Request, exc: Exception) -> Response:
    response = _handle(request, exc)
    if isinstance(exc, HTTPException) and exc.headers:
        response.headers.update(exc.headers)  # e.g. Retry-After on 429
    return response


def _handle(request: Request, exc: Exception) -> Response:
    status, detail, extra = classify(exc)
    if status == 500:
        detail = "Something went wrong on our side. Please try again in a minute."
    if wants_json(request):
        return problem(status, detail, **extra)
    if status == 401:
        return Redirect("/lead/login", status_code=303)
    return page(
        request,
        "error.html",
        status=status,
        title=TITLES.get(status, "Error"),
        detail=detail,
        status_code=status,
        opens_at=extra.get("opens_at"),
    )
