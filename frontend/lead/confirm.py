"""Asking "are you sure?" before anything is destroyed, without JavaScript.

A destructive action's button posts its form as before; the handler calls
:func:`unless_confirmed` first. Unless the form carries ``confirm=yes``, that returns a page
saying what will be lost, with a warning button that posts the same form again (its fields
carried along) with ``confirm=yes``. So one stray press never deletes anything, and the page
works the same with JavaScript off.
"""

from __future__ import annotations

from litestar import Request
from litestar.response import Template

from frontend.core.access import current_account
from frontend.core.rendering import page

CONFIRMED = "yes"


async def unless_confirmed(
    request: Request, *, question: str, consequences: str, button: str, back: str, note: str = ""
) -> Template | None:
    """None when the form says it was confirmed; otherwise the confirmation page to show."""
    form = await request.form()
    if form.get("confirm") == CONFIRMED:
        return None
    carry = [(k, str(v)) for k, v in form.multi_items() if k not in ("_csrf_token", "confirm")]
    return page(
        request,
        "lead/confirm.html",
        account=await current_account(request),
        initiative=getattr(request.state, "initiative", None),
        question=question,
        consequences=consequences,
        note=note,
        button=button,
        back=back,
        action=request.url.path,
        carry=carry,
    )
