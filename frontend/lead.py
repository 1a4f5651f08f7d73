"""Lead pages (``/lead``): sign in, see an initiative's responses, download them.

Every route under ``/lead/{slug}`` declares the initiative it touches through the ``slug``
parameter, and one guard checks the signed-in account may see it. Unknown and forbidden
initiatives both answer 404, so a lead can't even learn what else exists.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

from litestar.params import FromPath
from litestar import Controller, Request, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.handlers import BaseRouteHandler
from litestar.response import Redirect, Stream, Template

from frontend.exports import data_dictionary_rows, safe_cell
from frontend.rendering import page
from surveys import accounts, audit
from surveys.disclosure import suppress, suppress_count
from surveys.aggregation import EXPORT_COLUMNS, answer_counts, answer_rows, response_count
from surveys.errors import NotFound
from surveys.initiatives import all_initiatives, by_slug
from surveys.versions import definition_of, latest_version, questionnaires_of

LOGIN_COOKIE = "heard_login"


async def current_account(connection: ASGIConnection) -> accounts.SignedIn | None:
    if "account" not in connection.state:
        connection.state.account = await accounts.signed_in(connection.cookies.get(LOGIN_COOKIE))
    return connection.state.account


async def signed_in_guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    if await current_account(connection) is None:
        raise NotAuthorizedException("Please sign in.")


async def initiative_guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """The one check that an account may see the initiative named in the path."""
    account = await current_account(connection)
    if account is None:
        raise NotAuthorizedException("Please sign in.")
    slug = connection.path_params.get("slug")
    try:
        initiative = await by_slug(slug)
    except NotFound:
        raise NotFoundException() from None
    if not account.may_see(initiative["id"]):
        raise NotFoundException()
    connection.state.initiative = initiative


class SignIn(Controller):
    path = "/lead"
    include_in_schema = False

    @get("/login")
    async def login_form(self, request: Request) -> Template:
        return page(request, "lead/login.html", error=None, email="")

    @post("/login", status_code=200)
    async def login(self, request: Request) -> Template | Redirect:
        form = await request.form()
        email, password = str(form.get("email", "")), str(form.get("password", ""))
        account_id = await accounts.authenticate(email, password) if email and password else None
        if account_id is None:
            await audit.record("sign-in failed", actor=email.strip().lower()[:320])
            return page(
                request,
                "lead/login.html",
                status=400,
                error="Enter the email address and password of a Heard account",
                email=email,
            )
        token = await accounts.start_login(account_id)
        await audit.record("signed in", actor=email.strip().lower())
        secure = request.app.state.settings.base_url.startswith("https://")
        return Redirect(
            "/lead/",
            status_code=303,
            cookies=[Cookie(key=LOGIN_COOKIE, value=token, httponly=True, samesite="lax", secure=secure,
                            path="/", max_age=int(accounts.LOGIN_LIFETIME.total_seconds()))],
        )

    @post("/logout", status_code=303)
    async def logout(self, request: Request) -> Redirect:
        token = request.cookies.get(LOGIN_COOKIE)
        if token:
            await accounts.end_login(token)
        return Redirect("/lead/login", status_code=303, cookies=[Cookie(key=LOGIN_COOKIE, value="", max_age=0, path="/")])

    @get("/", guards=[signed_in_guard])
    async def home(self, request: Request) -> Template:
        account = await current_account(request)
        visible = [i for i in await all_initiatives() if account.may_see(i["id"])]
        for initiative in visible:
            initiative["responses"] = suppress_count(
                await response_count(initiative["id"]), initiative["suppression_threshold"]
            )
        return page(request, "lead/home.html", account=account, initiatives=visible)


class InitiativePages(Controller):
    path = "/lead/{slug:str}"
    guards = [initiative_guard]
    include_in_schema = False

    @get("/")
    async def dashboard(self, request: Request, slug: FromPath[str]) -> Template:
        initiative = request.state.initiative
        threshold = initiative["suppression_threshold"]
        questionnaires = []
        for q in await questionnaires_of(initiative["id"]):
            version = await latest_version(q["id"])
            definition = await definition_of(version["id"], version["fingerprint"])
            counts = await answer_counts(initiative["id"], q["id"])
            n = suppress_count(await response_count(initiative["id"], q["id"]), threshold)
            questions = []
            for p in definition.pages:
                given = counts.get(p.answer_key, {})
                if p.question.type in ("text", "number"):
                    questions.append({"page": p, "written": suppress({"written": given.get(None, 0)}, threshold)})
                    continue
                breakdown = suppress([(o.key, given.get(o.key, 0)) for o in p.question.options], threshold)
                labels = {o.key: o.label for o in p.question.options}
                questions.append({"page": p, "breakdown": breakdown, "labels": labels})
            questionnaires.append({"questionnaire": q, "version": version, "responses": n, "questions": questions})
        return page(
            request,
            "lead/initiative.html",
            account=await current_account(request),
            initiative=initiative,
            questionnaires=questionnaires,
            threshold=threshold,
        )

    @get("/responses.csv")
    async def responses_csv(self, request: Request, slug: FromPath[str]) -> Stream:
        initiative = request.state.initiative
        return Stream(
            _csv(EXPORT_COLUMNS, answer_rows(initiative["id"])),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="heard-{slug}-responses.csv"'},
        )

    @get("/data-dictionary.csv")
    async def dictionary_csv(self, request: Request, slug: FromPath[str]) -> Stream:
        initiative = request.state.initiative
        return Stream(
            _csv(("variable", "value", "meaning"), data_dictionary_rows(initiative)),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="heard-{slug}-data-dictionary.csv"'},
        )


async def _csv(columns, rows: AsyncIterator[dict]) -> AsyncIterator[str]:
    """CSV text, a few hundred rows at a time; a BOM first so Excel reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(columns)
    count = 0
    async for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
        count += 1
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
