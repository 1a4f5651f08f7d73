"""Turning a template and its context into a page, in the person's language and direction."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import Request
from litestar.response import Template

from frontend import TEMPLATES
from frontend.core import i18n
from surveys.figures import percent_text

# Response headers, named once. NO_STORE: a lead's page or file holding people's answers is never
# kept by a browser or proxy. PRIVATE_PAGE: a respondent's page (their code, their answers so far)
# is not kept either, and the address it came from (a session token) is not sent on from it.
NO_STORE = {"Cache-Control": "no-store"}
PRIVATE_PAGE = {**NO_STORE, "Referrer-Policy": "no-referrer"}


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "xml", "svg"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Every percentage on a page is rounded the one way (surveys.figures): {{ share | percent }}.
    env.filters["percent"] = percent_text
    return env


def language_of(request: Request, requested: str | None = None) -> i18n.Language:
    return i18n.choose(requested or request.query_params.get("lang"), request.headers.get("accept-language"))


def page(
    request: Request,
    template: str,
    *,
    status: int = 200,
    language: i18n.Language | None = None,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Template:
    language = language or language_of(request)
    return Template(
        template_name=template,
        status_code=status,
        headers=headers,
        context={
            "_": language.gettext,
            "ngettext": language.ngettext,
            "language": language,
            "languages": i18n.available(),
            **context,
        },
    )
