"""Themes and approved quotes for partner summaries: where :mod:`voice` meets :mod:`surveys`.

The summary (surveys) takes its themes from a callable so it never imports voice; the web layer
and the CLI hand it this one. Theme counts come from every free-text answer (consented or not);
quotes only from approved, consented answers in groups large enough to quote from.
"""

from __future__ import annotations

from litestar import Request

from surveys.summary import Filters, ThemeInput, ThemesProvider
from voice.analysis import RECENT_WRITTEN, theme_counts, theme_unthemed
from voice.codebook_versions import current_codebook
from voice.quotes import approved_quotes


async def summary_themes(initiative_id: int, filters: Filters) -> list[ThemeInput]:
    """Each theme of the initiative's current codebook, with its mentions and up to 3 quotes.

    Counts and quotes cover the responses the summary's filters cover, like its other figures;
    the summary suppresses small counts like any other.
    """
    # The newest answers a stopped process may have left unthemed count too.
    await theme_unthemed(initiative_id, newest=RECENT_WRITTEN)
    codebook = await current_codebook(initiative_id)
    counts = await theme_counts(initiative_id, filters)
    themes = []
    for theme in codebook.themes:
        quotes = await approved_quotes(initiative_id, theme_key=theme.key, limit=3, filters=filters)
        themes.append(ThemeInput(
            key=theme.key,
            label=theme.name,
            mentions=counts.get(theme.key, 0),
            quotes=tuple(q.text for q in quotes),  # the summary adds quote marks and attribution
        ))
    return themes


def themes_of(request: Request) -> ThemesProvider | None:
    """The themes provider the app was built with (``app.state.summary_themes``), if any."""
    return getattr(request.app.state, "summary_themes", None)
