"""What a partner sees at a shared summary link (``/shared/{token}``).

It needs no account: it shows the summary the link was made with, and nothing else (no answers,
no downloads), until the link expires or is revoked; then it is a plain 404. Leads make and revoke
the links on their summary page (:mod:`frontend.lead.summary`).
"""

from __future__ import annotations

from litestar import Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from frontend.core import access
from frontend.core.rendering import language_of, page
from frontend.documents.summary import document
from frontend.documents.summary_themes import themes_of
from surveys import sharing
from surveys.summary import build_summary
from surveys.tables import Initiative


@get("/shared/{token:str}", include_in_schema=False, opt=access.public())
async def shared_summary(request: Request, token: FromPath[str]) -> Template:
    opened = await sharing.open_link(token)
    if opened is None:
        raise NotFoundException("This link has expired or was withdrawn.")
    link, filters = opened
    initiative = await Initiative.select().where(Initiative.id == link["initiative"]).first()
    if initiative is None:  # deleted since the link was read
        raise NotFoundException("This link has expired or was withdrawn.")
    language = language_of(request)
    summary = await build_summary(initiative, filters, themes=themes_of(request))
    return page(
        request,
        "summary/shared.html",
        language=language,
        headers={"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"},
        doc=document(summary, language),
        initiative_name=initiative["name"],
        expires=link["expires_at"].strftime("%Y-%m-%d"),
    )
