"""Lead pages (``/lead``): sign in, see an initiative's responses, download them.

Every route declares its access in ``opt`` (see :mod:`frontend.core.access`): routes under
``/lead/{slug}`` are scoped to that initiative and one guard checks the signed-in account may
see it with the role the route needs. Unknown and forbidden initiatives both answer 404, so a
lead can't even learn what else exists.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.params import FromPath
from litestar.response import Redirect, Stream, Template

from frontend.core import access
from frontend.core.access import LOGIN_COOKIE, current_account, signed_in_account
from frontend.core.rendering import page
from frontend.documents.cells import data_dictionary_rows, safe_cell
from frontend.lead import signin
from frontend.lead.dashboard import live_context
from surveys import accounts, audit, credentials, throttle
from surveys.aggregation import EXPORT_COLUMNS, answer_rows, question_summaries, response_count
from surveys.disclosure import suppress, suppress_count
from surveys.initiatives import all_initiatives
from surveys.versions import latest_version, questionnaires_of


class SignIn(Controller):
    path = "/lead"
    include_in_schema = False
    request_max_body_size = 16 * 1024  # an email and a password

    @get("/login", opt=access.public())
    async def login_form(self, request: Request) -> Template:
        return page(request, "lead/login.html", error=None, email="",
                    password_set=request.query_params.get("password") == "set")

    @post("/login", status_code=200, opt=access.public())
    async def login(self, request: Request) -> Template | Redirect:
        form = await request.form()
        email, password = str(form.get("email", ""))[:320], str(form.get("password", ""))[:200]
        wait, reservation = await signin.reserve(request, email)  # counted before the password is checked
        if wait:
            return page(request, "lead/login.html", status=429, error=wait, email=email)
        account_id = await accounts.authenticate(email, password) if email and password else None
        if account_id is None:
            await accounts.sign_in_failed(email)
            return page(
                request,
                "lead/login.html",
                status=400,
                error="Enter the email address and password of a Heard account",
                email=email,
            )
        factor = await credentials.second_factor(account_id)
        if factor.get("totp_secret") or factor.get("totp_required"):
            # Password right; the code (or setting the code up) comes next, on a one-time step.
            from frontend.lead.accounts import second_step_page

            await throttle.release(reservation)  # the code's own attempt is counted next
            return await second_step_page(request, account_id, await credentials.issue(account_id, credentials.SECOND_STEP))
        return await signin.signed_in_redirect(request, account_id, email, reservation=reservation)

    @post("/logout", status_code=303, opt=access.public())
    async def logout(self, request: Request) -> Redirect:
        token = request.cookies.get(LOGIN_COOKIE)
        if token:
            await accounts.end_login(token)
        return Redirect("/lead/login", status_code=303, cookies=[Cookie(key=LOGIN_COOKIE, value="", max_age=0, path="/")])

    @get("/", opt=access.account())
    async def home(self, request: Request) -> Template:
        account = await signed_in_account(request)
        visible = [i for i in await all_initiatives() if account.may_see(i["id"])]
        visible.sort(key=lambda i: i["archived_at"] is not None)  # open ones first, in their order
        for initiative in visible:
            initiative["responses"] = suppress_count(
                await response_count(initiative["id"]), initiative["suppression_threshold"]
            )
        return page(request, "lead/home.html", account=account, initiatives=visible)


class InitiativePages(Controller):
    path = "/lead/{slug:str}"
    # Routes added here need a lead unless they say otherwise: the safe default.
    opt = access.initiative("lead")
    include_in_schema = False

    @get("/", opt=access.initiative("viewer"))
    async def dashboard(self, request: Request, slug: FromPath[str]) -> Template:
        initiative = request.state.initiative
        threshold = initiative["suppression_threshold"]
        questionnaires = []
        for q in await questionnaires_of(initiative["id"]):
            version = await latest_version(q["id"])
            n = suppress_count(await response_count(initiative["id"], q["id"]), threshold)
            questions = []
            # Versions are combined per question only where it was asked the same way.
            for summary in await question_summaries(initiative["id"], q["id"]):
                p, given = summary.page, summary.counts
                if not summary.current and not given:
                    continue
                shown = {"page": p, "versions": summary.versions, "current": summary.current}
                if p.question.type in ("text", "number"):
                    questions.append({**shown, "written": suppress({"written": given.get(None, 0)}, threshold)})
                    continue
                breakdown = suppress([(o.key, given.get(o.key, 0)) for o in p.question.options], threshold)
                labels = {o.key: o.label for o in p.question.options}
                questions.append({**shown, "breakdown": breakdown, "labels": labels})
            questionnaires.append({"questionnaire": q, "version": version, "responses": n, "questions": questions})
        return page(
            request,
            "lead/initiative.html",
            account=await current_account(request),
            initiative=initiative,
            questionnaires=questionnaires,
            threshold=threshold,
            **await live_context(request, initiative),
        )

    @get("/responses.csv")
    async def responses_csv(self, request: Request, slug: FromPath[str]) -> Stream:
        initiative = request.state.initiative
        await audit.responses_downloaded(initiative["id"], "CSV", actor=(await signed_in_account(request)).email)
        return Stream(
            await _started(_csv(EXPORT_COLUMNS, answer_rows(initiative["id"]))),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="heard-{slug}-responses.csv"'},
        )

    @get("/data-dictionary.csv", opt=access.initiative("viewer"))
    async def dictionary_csv(self, request: Request, slug: FromPath[str]) -> Stream:
        initiative = request.state.initiative
        return Stream(
            await _started(_csv(("variable", "value", "meaning"), data_dictionary_rows(initiative))),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="heard-{slug}-data-dictionary.csv"'},
        )


async def _started(chunks: AsyncIterator[str]) -> AsyncIterator[str]:
    """A stream whose first chunk is already made: a database that can't be reached fails the
    request before its 200 is sent (a 503 to retry), not half-way through a download."""
    first = await anext(chunks)

    async def stream() -> AsyncIterator[str]:
        yield first
        async for chunk in chunks:
            yield chunk

    return stream()


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
