"""Changing a session after it was made: edit where and when it is, close it now, reopen it,
or delete one nobody has answered. Every change is on the audit log. The session's code never
changes, so its printed posters, cards and QR codes stay valid.
"""

from __future__ import annotations

import datetime as dt

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from frontend.core import access
from frontend.core.access import current_account, signed_in_account
from frontend.core.rendering import page
from frontend.core.session_links import LOCAL, parse_local
from frontend.lead.confirm import unless_confirmed
from surveys import tokens
from surveys.sessions import SessionError, check_times, close_session, delete_session, reopen_session, update_session
from surveys.tables import Response, Session

FIELDS = ("site", "held_on", "opens_at", "closes_at")


def read_when(values: dict[str, str]) -> tuple[dict, dict[str, str]]:
    """The date and answering window typed on a session form, parsed; with errors by field."""
    errors: dict[str, str] = {}
    parsed: dict = {"held_on": None, "opens_at": None, "closes_at": None}
    try:
        parsed["held_on"] = dt.date.fromisoformat(values["held_on"]) if values.get("held_on") else None
    except ValueError:
        errors["held_on"] = "Enter the date like 2026-11-23"
    for name in ("opens_at", "closes_at"):
        try:
            parsed[name] = parse_local(values.get(name))
        except ValueError:
            errors[name] = "Enter a date and time like 2026-11-23 10:00"
    return parsed, errors


def _typed(value: dt.datetime | None) -> str:
    """A stored time as the form's datetime-local field shows it, in Dundee time."""
    return value.astimezone(LOCAL).strftime("%Y-%m-%dT%H:%M") if value else ""


async def _session(request: Request, token: str) -> dict:
    canonical = tokens.normalise(token)
    row = (
        None
        if canonical is None
        else await Session.select()
        .where((Session.token == canonical) & (Session.initiative == request.state.initiative["id"]))
        .first()
    )
    if row is None:
        raise NotFoundException()
    return row


def _place(row: dict) -> str:
    return row["site"] or "the session with no site given"


class SessionChanges(Controller):
    path = "/lead/{slug:str}/sessions/{token:str}"
    opt = access.initiative("lead", token="session_token")
    include_in_schema = False

    def _back(self, slug: str, row: dict) -> str:
        return f"/lead/{slug}/sessions/{tokens.display(row['token'])}"

    async def _edit_page(self, request: Request, row: dict, values: dict, errors: dict) -> Template:
        return page(
            request,
            "lead/session_edit.html",
            status=400 if errors else 200,
            account=await current_account(request),
            initiative=request.state.initiative,
            session=row,
            display_token=tokens.display(row["token"]),
            values=values,
            errors=errors,
        )

    @get("/edit")
    async def edit_form(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Template:
        row = await _session(request, token)
        return await self._edit_page(request, row, _values(row), {})

    @post("/edit", status_code=200)
    async def edit(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Template | Redirect:
        row = await _session(request, token)
        form = await request.form()
        values = {k: str(form.get(k, "")).strip() for k in FIELDS}
        parsed, errors = read_when(values)
        errors.update(
            {
                k: v
                for k, v in check_times(values["site"], parsed["opens_at"], parsed["closes_at"]).items()
                if k not in errors
            }
        )
        if not errors:
            try:
                await update_session(
                    row["id"], site=values["site"], **parsed, actor=(await signed_in_account(request)).email
                )
            except SessionError as e:
                errors = e.errors
        if errors:
            return await self._edit_page(request, row, values, errors)
        return Redirect(self._back(slug, row) + "?changed=saved", status_code=303)

    @post("/close", status_code=303)
    async def close(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Redirect:
        row = await _session(request, token)
        await close_session(row["id"], actor=(await signed_in_account(request)).email)
        return Redirect(self._back(slug, row) + "?changed=closed", status_code=303)

    @post("/reopen", status_code=200)
    async def reopen(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Template | Redirect:
        row = await _session(request, token)
        form = await request.form()
        typed = str(form.get("closes_at", "")).strip()
        try:
            until = parse_local(typed)
            await reopen_session(row["id"], until=until, actor=(await signed_in_account(request)).email)
        except ValueError:
            errors = {"closes_at": "Enter a date and time like 2026-11-23 10:00"}
            return await self._edit_page(request, row, {**_values(row), "closes_at": typed}, errors)
        except SessionError as e:
            return await self._edit_page(request, row, {**_values(row), "closes_at": typed}, e.errors)
        return Redirect(self._back(slug, row) + "?changed=reopened", status_code=303)

    @post("/delete", status_code=200)
    async def delete(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Template | Redirect:
        row = await _session(request, token)
        answered = await Response.count().where(Response.session == row["id"])
        if not answered:
            ask = await unless_confirmed(
                request,
                question=f"Delete the session at {_place(row)}?",
                consequences=f"Its code {tokens.display(row['token'])} stops working: posters and cards printed "
                "for it lead nowhere. Nobody has answered it, so no answers are lost.",
                button="Yes, delete this session",
                back=self._back(slug, row),
            )
            if ask is not None:
                return ask
        try:
            await delete_session(row["id"], actor=(await signed_in_account(request)).email)
        except SessionError as e:
            return page(
                request,
                "error.html",
                status=409,
                status_code=409,
                title="This session can't be deleted",
                detail=e.errors["session"],
            )
        return Redirect(f"/lead/{slug}/sessions?deleted={tokens.display(row['token'])}", status_code=303)


def _values(row: dict) -> dict:
    return {
        "site": row["site"],
        "held_on": row["held_on"].isoformat() if row["held_on"] else "",
        "opens_at": _typed(row["opens_at"]),
        "closes_at": _typed(row["closes_at"]),
    }
