"""Who may use which route: every lead, admin and API route declares it, and one guard checks it.

How to declare a route's access (do this for every route you add outside the respondent pages)::

    from frontend.core import access

    @get("/lead/{slug:str}/summary", opt=access.initiative("viewer"))      # read summaries
    @post("/lead/{slug:str}/sessions", opt=access.initiative("lead"))      # change things
    @get("/lead/{slug:str}/sessions/{session_id:int}",
         opt=access.initiative("lead", session_id="session"))              # + a resource in the path
    @get("/lead/admin/users", opt=access.admin())                          # admins only
    @get("/lead/account", opt=access.account())                            # anyone signed in
    @get("/lead/login", opt=access.public())                               # no account needed

``opt`` set on a Controller (or Router) applies to all its routes; a route's own ``opt`` overrides
it. The scopes:

``initiative(role, **resources)``
    The path has ``{slug}``; the account must belong to that initiative (admins belong to all) and
    have at least ``role`` (viewer < lead < admin). Unknown and someone else's initiative both
    answer 404, so nobody learns what else exists; a viewer on a lead route gets 403. Any other
    path parameter naming a record (a session, a questionnaire, …) must be listed as
    ``param="kind"``: the guard checks that record belongs to the initiative in the path (404 if
    not), so ``/lead/<one initiative>/sessions/<another initiative's session>`` is refused. Kinds are registered below
    with :func:`resource` (an owner look-up, and a sample the route-matrix test uses).
``account(role="viewer")``
    Any signed-in account with at least ``role``; the route must not take an initiative.
``admin()``
    Admins only (users, keys, retention, the whole audit log).
``public()`` / ``respondent()``
    No account: sign-in pages, set-password links, the respondent API (whose token is its scope).

What the roles may do: **admin** everything; **lead** manage their initiatives (questionnaires,
sessions, codes, moderation, exports, erasure); **viewer** read their initiatives' summaries only:
no raw answers, no response downloads, no changes.

Routes under :data:`PUBLIC_PREFIXES` (respondent pages, static files, the API schema, health)
need no declaration. Any other route without a declared scope is refused at run time (fail
closed) and fails ``tests/security/test_route_matrix.py``, which builds the route list from the
app itself and tries every scoped route as a lead of another initiative, a viewer and nobody.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, NotFoundException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler

from surveys import accounts, tokens
from surveys.errors import NotFound
from surveys.initiatives import by_slug
from surveys.tables import (
    STORABLE_INTEGERS,
    Answer,
    Comparison,
    DeliveryPartner,
    Membership,
    Questionnaire,
    QuestionnaireDraft,
    Response,
    Session,
    ShareLink,
)
from voice.tables import StopName, VoiceNote

log = logging.getLogger("heard")

LOGIN_COOKIE = "heard_login"
SCOPES = ("public", "respondent", "account", "initiative", "admin")
# Routes here are for respondents or for everyone and take no account.
PUBLIC_PREFIXES = ("/s/", "/k/", "/static/", "/schema", "/healthz", "/privacy/")
PUBLIC_PATHS = ("/",)


def public() -> dict:
    return {"scope": "public"}


def respondent() -> dict:
    """No account; a session token in the path is the only thing reached."""
    return {"scope": "respondent"}


def account(role: str = "viewer") -> dict:
    return {"scope": "account", "role": role}


def admin() -> dict:
    return {"scope": "admin", "role": "admin"}


def initiative(role: str, names: tuple[str, ...] = (), **resources: str) -> dict:
    """``names``: path parameters that are not records but names looked up *inside* the initiative
    in the path (a theme key in its codebook, a download format), so they can't reach another's."""
    if role not in accounts.RANK:
        raise ValueError(f"unknown role {role!r}")
    unknown = [kind for kind in resources.values() if kind not in RESOURCES]
    if unknown:
        raise ValueError(f"unknown resource kind {unknown[0]!r}: register it with access.resource()")
    return {"scope": "initiative", "role": role, "resources": dict(resources), "names": tuple(names)}


@dataclass(frozen=True)
class Resource:
    owner: Callable[[Any], Awaitable[int | None]]  # the initiative id a record belongs to, or None
    sample: Callable[[int], Awaitable[Any]]  # some record of that initiative (for the route matrix)


RESOURCES: dict[str, Resource] = {}


def resource(kind: str, *, owner, sample) -> None:
    """Register a kind of record that routes may name in their path (see the module docstring)."""
    RESOURCES[kind] = Resource(owner, sample)


def _row_id(value) -> int | None:
    """``value`` as an id a row could have; None when it can't be one (no row is then asked for)."""
    try:
        row_id = int(value)
    except (TypeError, ValueError):
        return None
    return row_id if row_id in STORABLE_INTEGERS else None


async def _owner_of(table, value) -> int | None:
    if (row_id := _row_id(value)) is None:
        return None
    row = await table.select(table.initiative).where(table.id == row_id).first()
    return row["initiative"] if row else None


async def _sample_of(table, initiative_id: int):
    row = await table.select(table.id).where(table.initiative == initiative_id).first()
    return row["id"] if row else None


async def _owners_by(table, column, value) -> set[int]:
    """Initiatives owning rows whose ``column`` equals ``value`` (slugs are unique only within one)."""
    rows = await table.select(table.initiative).where(column == str(value))
    return {row["initiative"] for row in rows}


async def _sample_by(table, column, initiative_id: int):
    row = await table.select(column).where(table.initiative == initiative_id).first()
    return row[column._meta.name] if row else None


async def _answer_owner(value) -> int | None:
    if (answer_id := _row_id(value)) is None:
        return None
    row = await Answer.select(Answer.response.initiative.as_alias("initiative")).where(
        Answer.id == answer_id).first()
    return row["initiative"] if row else None


async def _answer_sample(initiative_id: int):
    row = await Answer.select(Answer.id).where(Answer.response.initiative == initiative_id).first()
    return row["id"] if row else None


resource("session", owner=lambda v: _owner_of(Session, v), sample=lambda i: _sample_of(Session, i))
resource("questionnaire", owner=lambda v: _owner_of(Questionnaire, v), sample=lambda i: _sample_of(Questionnaire, i))
resource("session_token", owner=lambda v: _owners_by(Session, Session.token, tokens.normalise(str(v)) or ""),
         sample=lambda i: _sample_by(Session, Session.token, i))
resource("questionnaire_slug", owner=lambda v: _owners_by(Questionnaire, Questionnaire.slug, v),
         sample=lambda i: _sample_by(Questionnaire, Questionnaire.slug, i))
async def _draft_owners(value) -> set[int]:
    # A draft's slug is letters, digits and dashes; anything else (a NUL byte PostgreSQL refuses)
    # names no draft.
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,99}", str(value)):
        return set()
    return await _owners_by(QuestionnaireDraft, QuestionnaireDraft.slug, value)


resource("questionnaire_draft", owner=_draft_owners,
         sample=lambda i: _sample_by(QuestionnaireDraft, QuestionnaireDraft.slug, i))
resource("answer", owner=_answer_owner, sample=_answer_sample)
resource("response", owner=lambda v: _owner_of(Response, v), sample=lambda i: _sample_of(Response, i))
resource("share_link", owner=lambda v: _owner_of(ShareLink, v), sample=lambda i: _sample_of(ShareLink, i))
resource("voice_note", owner=lambda v: _owner_of(VoiceNote, v), sample=lambda i: _sample_of(VoiceNote, i))
resource("comparison", owner=lambda v: _owner_of(Comparison, v), sample=lambda i: _sample_of(Comparison, i))
resource("delivery_partner", owner=lambda v: _owner_of(DeliveryPartner, v),
         sample=lambda i: _sample_of(DeliveryPartner, i))
resource("stop_name", owner=lambda v: _owner_of(StopName, v), sample=lambda i: _sample_of(StopName, i))


async def _member_owner(value) -> set[int] | None:
    """The initiatives an account has access to: a lead may name it under any of them."""
    if (account_id := _row_id(value)) is None:
        return None
    return {r["initiative"] for r in await Membership.select(Membership.initiative).where(
        Membership.account == account_id)}


async def _member_sample(initiative_id: int):
    row = await Membership.select(Membership.account).where(Membership.initiative == initiative_id).first()
    return row["account"] if row else None


resource("member", owner=_member_owner, sample=_member_sample)


async def current_account(connection: ASGIConnection) -> accounts.SignedIn | None:
    if "account" not in connection.state:
        connection.state.account = await accounts.signed_in(connection.cookies.get(LOGIN_COOKIE))
    return connection.state.account


async def signed_in_account(connection: ASGIConnection) -> accounts.SignedIn:
    """The signed-in account, for routes whose scope (account, initiative, admin) requires one.

    The guard has already refused the request without a sign-in; this says so to the type checker
    and fails closed (the guard's own refusal) should a route's scope ever stop requiring one."""
    signed_in = await current_account(connection)
    if signed_in is None:
        raise NotAuthorizedException("Please sign in.")
    return signed_in


def is_public_path(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def declared_scope(handler: BaseRouteHandler) -> str | None:
    scope = (handler.opt or {}).get("scope")
    return scope if scope in SCOPES else None


async def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """The one access check, on every route of the app (registered in :mod:`frontend.app`)."""
    opt = handler.opt or {}
    scope = declared_scope(handler)
    if scope is None:
        if is_public_path(connection.scope.get("path_template") or connection.url.path):
            return
        log.error("Refused %s: the route declares no access scope (see frontend/core/access.py)", handler)
        raise PermissionDeniedException("This page is not available.")
    if scope in ("public", "respondent"):
        return
    signed_in = await current_account(connection)
    if signed_in is None:
        raise NotAuthorizedException("Please sign in.")
    if scope == "initiative":
        await _check_initiative(connection, signed_in, opt)
    if not signed_in.has_role(opt.get("role", "admin")):
        raise PermissionDeniedException("Your account can't do this. Ask an administrator if you need to.")


async def _check_initiative(connection: ASGIConnection, signed_in: accounts.SignedIn, opt: dict) -> None:
    try:
        found = await by_slug(connection.path_params.get("slug", ""))
    except NotFound:
        raise NotFoundException() from None
    if not signed_in.may_see(found["id"]):
        raise NotFoundException()
    for param, kind in (opt.get("resources") or {}).items():
        owner = await RESOURCES[kind].owner(connection.path_params.get(param))
        if not (owner == found["id"] or (isinstance(owner, set) and found["id"] in owner)):
            raise NotFoundException()
    connection.state.initiative = found
