"""The live part of an initiative's page: responses today, this week and in all, by session, site,
way of answering and week (:mod:`surveys.live`).

A lead sees true counts, each marked where a viewer's or a partner's figure would be hidden; a
viewer sees only the figures as published. With JavaScript on, ``/static/dashboard.js`` fetches
``/lead/{slug}/live`` (this block alone) every 30 seconds and when the lead presses "Refresh";
without it, "Refresh" is a plain link that reloads the page.
"""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Template

from frontend.core import access
from frontend.core.access import current_account, signed_in_account
from frontend.core.rendering import page
from frontend.core.session_links import LOCAL, show_time
from frontend.documents.charts import Week, weekly_bars
from surveys.live import activity
from surveys.reach import AUDIENCE_WORDS

REFRESH_SECONDS = 30


async def live_context(request: Request, initiative: dict) -> dict:
    """What ``lead/_live.html`` needs, for the signed-in account."""
    account = await signed_in_account(request)
    figures = await activity(initiative, LOCAL)
    true_counts = account.role != "viewer"
    weeks = [Week(w.label, w.count if true_counts else w.shown, marked=bool(w.hidden)) for w in figures.weeks]
    kind = "true counts: hatched weeks are hidden from partners" if true_counts else "as partners see them"
    chart = weekly_bars(f"Responses each week, last {len(weeks)} weeks ({kind})", weeks)
    return {
        "live": figures,
        "true_counts": true_counts,
        "audiences": AUDIENCE_WORDS,
        "trend_svg": chart.svg(),
        "updated": show_time(figures.as_of),
        "refresh_seconds": REFRESH_SECONDS,
    }


class LivePages(Controller):
    path = "/lead/{slug:str}"
    include_in_schema = False

    @get("/live", opt=access.initiative("viewer"))
    async def live(self, request: Request, slug: FromPath[str]) -> Template:
        """The live block alone, for the page's script to swap in."""
        initiative = request.state.initiative
        response = page(
            request,
            "lead/_live.html",
            initiative=initiative,
            account=await current_account(request),
            **await live_context(request, initiative),
        )
        response.headers["Cache-Control"] = "no-store"
        return response
