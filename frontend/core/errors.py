"""One place that turns any error into a page for people or problem details for programs.

What the request asked for decides: paths under ``/api`` (or an ``Accept`` of JSON) get
``application/problem+json`` (RFC 9457); everyone else gets a short, kind HTML page. Neither
ever shows a stack trace.
"""

from __future__ import annotations

import logging

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Redirect

from frontend.core.rendering import page
from surveys.db import is_unavailable
from surveys.errors import InitiativeArchived, NotFound, SessionClosed, SessionNotOpenYet
from surveys.questionnaires import InvalidAnswers
from surveys.responses import SubmissionConflict
from surveys.scales import N_  # marks English text the message catalogs translate on error pages

log = logging.getLogger("heard")
# How long a client waits before trying again when the database can't be reached just now.
RETRY_AFTER_SECONDS = "5"

TITLES = {
    400: N_("Bad request"),
    401: N_("Sign in needed"),
    403: N_("Not allowed"),
    404: N_("Page not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict"),
    410: N_("This has closed"),
    413: N_("Too much was sent"),
    415: N_("Bad request"),  # a body of a kind the route does not take
    422: N_("Some answers need another look"),
    429: N_("Too many requests"),
    500: N_("Sorry, something went wrong"),
    503: N_("Sorry, the service is unavailable"),
}


# Details raised in English elsewhere, listed so the catalogs carry them for error pages.
RAISED_ELSEWHERE = (
    N_("This form is out of date. Please start again."),
    N_("No such session"),
)
# A respondent form sent again with different answers under the same submission id (Back after
# sending, then a change): the answers sent first stand (see surveys.responses).
ALREADY_SENT_TITLE = N_("These answers were already sent")
ALREADY_SENT = N_(
    "This form was sent before with different answers. The answers sent first are kept; these changes were not saved."
)
# A questionnaire stored before the tablet's rule (surveys.questionnaires._check_tablet) with a
# required question the tablet can't ask: said to the adult before any child starts.
TABLET_CANNOT_ASK_TITLE = N_("This questionnaire can't be answered on the tablet")
TABLET_CANNOT_ASK = N_(
    "It has a question children would have to type an answer to, and the tablet doesn't ask those. "
    "Ask the project lead to make that question optional or move it to a parent's questionnaire."
)
# People get a plain sentence for a missing page, not the exception's own words.
NOT_FOUND_FOR_PEOPLE = N_("We cannot find this page.")


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def problem(status: int, detail: str, **extra) -> Response:
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status, "detail": detail, **extra}
    return Response(body, status_code=status, media_type="application/problem+json")


def classify(exc: Exception) -> tuple[int, str, dict]:
    if isinstance(exc, InvalidAnswers):
        return 422, N_("Some answers are missing or not allowed."), {"errors": exc.errors}
    if isinstance(exc, NotFound):
        return 404, str(exc) or "Not found.", {}
    if isinstance(exc, SessionClosed):
        return 410, N_("This questionnaire has closed."), {}
    if isinstance(exc, SessionNotOpenYet):
        return 403, N_("This questionnaire is not open yet."), {"opens_at": exc.opens_at.isoformat()}
    if isinstance(exc, (SubmissionConflict, InitiativeArchived)):
        return 409, str(exc), {}
    if isinstance(exc, ValidationException):
        errors = {
            (e.get("key") or "body"): e.get("message", "Invalid") for e in (exc.extra or []) if isinstance(e, dict)
        }
        return 400, N_("The request was not in the expected form."), {"errors": errors} if errors else {}
    if isinstance(exc, HTTPException):
        # Extra members a refusal names (e.g. the JSON depth limit, the fields sent as files).
        extra = exc.extra if isinstance(exc.extra, dict) else {}
        return exc.status_code, exc.detail or TITLES.get(exc.status_code, "Error"), extra
    if is_unavailable(exc):
        log.warning("Database unavailable: %s", type(exc).__name__)
        return 503, N_("The service is busy or restarting, so nothing was saved. Please try again in a moment."), {}
    log.error("Unhandled %s", type(exc).__name__, exc_info=exc)
    return 500, N_("Something went wrong on our side. Your answers were not lost if you saw no error before."), {}


def handle(request: Request, exc: Exception) -> Response:
    response = _handle(request, exc)
    if isinstance(exc, HTTPException) and exc.headers:
        response.headers.update(exc.headers)  # e.g. Retry-After on 429
    elif response.status_code == 503:
        response.headers["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def _handle(request: Request, exc: Exception) -> Response:
    status, detail, extra = classify(exc)
    if status == 500:
        detail = N_("Something went wrong on our side. Please try again in a minute.")
    if wants_json(request):
        return problem(status, detail, **extra)
    if status == 401:
        return Redirect("/lead/login", status_code=303)
    if status == 404:
        detail = NOT_FOUND_FOR_PEOPLE
    return page(
        request,
        "error.html",
        status=status,
        title=TITLES.get(status, "Error"),
        detail=detail,
        status_code=status,
        opens_at=_when(request, extra.get("opens_at")),
    )


def _when(request: Request, opens_at: str | None) -> str | None:
    """The opening time as people read it ("Friday 15 January 2027, 09:30", Dundee time)."""
    if not opens_at:
        return None
    from frontend.core.rendering import language_of
    from frontend.core.session_links import show_time

    return show_time(opens_at, language_of(request).code)
