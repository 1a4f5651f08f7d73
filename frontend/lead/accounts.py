"""Account pages: the second sign-in step, set-password links, your account, users and the audit log.

* ``/lead/login/code``: after a right password, the TOTP code (or setting TOTP up, when an admin
  requires it and the account has none yet).
* ``/lead/password/{token}``: a one-time set-password link (from ``heard user add``/``reset`` or
  an admin); using it signs the account out everywhere.
* ``/lead/account``: your account: set up or remove the second factor, sign out everywhere.
* ``/lead/admin/users``: admins list accounts, change roles and initiatives, require a second
  factor, make set-password links, sign an account out everywhere. Every change is audited.
* ``/lead/audit`` (admins: everything) and ``/lead/{slug}/audit`` (leads: their initiative), each
  also as CSV through :func:`frontend.documents.cells.safe_cell`.

Every route declares its access with :mod:`frontend.core.access`.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from frontend.core import access
from frontend.core.access import current_account, signed_in_account
from frontend.core.rendering import page
from frontend.documents.cells import safe_cell
from frontend.documents.qr import qr_svg
from frontend.lead import signin
from frontend.lead.confirm import unless_confirmed
from surveys import accounts, audit, credentials, throttle
from surveys.initiatives import all_initiatives
from surveys.tables import ROLES

FORM_LIMIT = 16 * 1024
AUDIT_COLUMNS = ("at", "actor", "action", "initiative", "detail")


def set_password_link(request: Request, token: str) -> str:
    return f"{request.app.state.settings.base_url}/lead/password/{token}"


async def second_step_page(request: Request, account_id: int, pending: str, *, error: str | None = None,
                           status: int = 200) -> Template:
    """The code step of a sign-in; shows the QR code to set TOTP up if the account has none yet."""
    factor = await credentials.second_factor(account_id)
    enrol = None
    if not factor.get("totp_secret"):
        secret, uri = await credentials.start_enrolment(account_id)
        enrol = {"secret": secret, "qr": qr_svg(uri, title="QR code to add Heard to an authenticator app")}
    return page(request, "lead/two_factor.html", status=status, pending=pending, enrol=enrol, error=error,
                action="/lead/login/code", account=None)


class AccountPages(Controller):
    path = "/lead"
    include_in_schema = False
    request_max_body_size = FORM_LIMIT

    @post("/login/code", status_code=200, opt=access.public())
    async def second_step(self, request: Request) -> Template | Redirect:
        form = await request.form()
        pending, code = str(form.get("pending", ""))[:100], str(form.get("code", ""))[:20]
        found = await credentials.peek(pending, credentials.SECOND_STEP)
        if found is None:
            return page(request, "lead/login.html", status=400, email="",
                        error="That sign-in took too long or was already used. Sign in again")
        wait, reservation = await signin.reserve(request, found["email"])  # counted before the code is checked
        if wait:
            return page(request, "lead/login.html", status=429, error=wait, email=found["email"])
        ok, _ = await credentials.second_step(found["id"], found["email"], code)
        if not ok:
            return await second_step_page(request, found["id"], pending, status=400,
                                          error="Enter the 6-digit code your authenticator app shows now")
        if await credentials.use(pending, credentials.SECOND_STEP) is None:
            await throttle.release(reservation)
            return page(request, "lead/login.html", status=400, email="",
                        error="That sign-in took too long or was already used. Sign in again")
        return await signin.signed_in_redirect(request, found["id"], found["email"], detail="with a second factor",
                                               reservation=reservation)

    @get("/password/{token:str}", opt=access.public())
    async def password_form(self, request: Request, token: FromPath[str]) -> Template:
        found = await credentials.peek(token, credentials.SET_PASSWORD)
        if found is None:
            return page(request, "lead/set_password.html", status=410, expired=True, error=None, email="")
        return page(request, "lead/set_password.html", expired=False, error=None, email=found["email"],
                    min_length=credentials.MIN_PASSWORD_LENGTH)

    @post("/password/{token:str}", status_code=200, opt=access.public())
    async def set_password(self, request: Request, token: FromPath[str]) -> Template | Redirect:
        form = await request.form()
        try:
            await credentials.set_password_with(
                token, str(form.get("password", ""))[:400], str(form.get("confirm", ""))[:400]
            )
        except LookupError:
            return page(request, "lead/set_password.html", status=410, expired=True, error=None, email="")
        except credentials.WeakPassword as e:
            email = (await credentials.peek(token, credentials.SET_PASSWORD) or {}).get("email", "")
            return page(request, "lead/set_password.html", status=400, expired=False, error=str(e), email=email,
                        min_length=credentials.MIN_PASSWORD_LENGTH)
        return Redirect("/lead/login?password=set", status_code=303)

    @get("/account", opt=access.account())
    async def your_account(self, request: Request) -> Template:
        me = await signed_in_account(request)
        factor = await credentials.second_factor(me.account_id)
        return page(request, "lead/account.html", account=me, factor=factor, ended=request.query_params.get("ended"))

    @get("/account/two-factor", opt=access.account())
    async def enrol_form(self, request: Request) -> Template:
        me = await signed_in_account(request)
        secret, uri = await credentials.start_enrolment(me.account_id)
        enrol = {"secret": secret, "qr": qr_svg(uri, title="QR code to add Heard to an authenticator app")}
        return page(request, "lead/two_factor.html", account=me, enrol=enrol, pending=None, error=None,
                    action="/lead/account/two-factor")

    @post("/account/two-factor", status_code=200, opt=access.account())
    async def enrol(self, request: Request) -> Template | Redirect:
        me = await signed_in_account(request)
        form = await request.form()
        if not await credentials.confirm_enrolment(me.account_id, str(form.get("code", ""))[:20], actor=me.email):
            secret, uri = await credentials.start_enrolment(me.account_id)
            enrol = {"secret": secret, "qr": qr_svg(uri, title="QR code to add Heard to an authenticator app")}
            return page(request, "lead/two_factor.html", status=400, account=me, enrol=enrol, pending=None,
                        error="Enter the 6-digit code your authenticator app shows now",
                        action="/lead/account/two-factor")
        return Redirect("/lead/account", status_code=303)

    @post("/account/two-factor/remove", status_code=303, opt=access.account())
    async def remove_factor(self, request: Request) -> Redirect:
        me = await signed_in_account(request)
        if (await credentials.second_factor(me.account_id)).get("totp_required"):
            raise NotFoundException()  # required by an admin: only an admin can lift that
        await credentials.remove_second_factor(me.account_id, actor=me.email)
        return Redirect("/lead/account", status_code=303)

    @post("/account/sign-out-everywhere", status_code=303, opt=access.account())
    async def sign_out_everywhere(self, request: Request) -> Redirect:
        me = await signed_in_account(request)
        await accounts.sign_out_everywhere(me.account_id, actor=me.email, own=True)
        return Redirect("/lead/login", status_code=303,
                        cookies=[Cookie(key=access.LOGIN_COOKIE, value="", max_age=0, path="/")])


class UserAdmin(Controller):
    """Admins manage accounts. Role changes, links and sign-outs are all on the audit log."""

    path = "/lead/admin/users"
    opt = access.admin()
    include_in_schema = False
    request_max_body_size = FORM_LIMIT

    @get("/")
    async def users(self, request: Request) -> Template:
        return page(request, "lead/users.html", account=await current_account(request),
                    users=await accounts.list_accounts())

    @get("/new")
    async def new_user_form(self, request: Request) -> Template:
        return await self._new_user_page(request, {"role": "lead"}, {})

    async def _new_user_page(self, request: Request, values: dict, errors: dict) -> Template:
        return page(request, "lead/user_new.html", status=400 if errors else 200,
                    account=await current_account(request), roles=ROLES, initiatives=await all_initiatives(),
                    values=values, errors=errors)

    @post("/new", status_code=200)
    async def add_user(self, request: Request) -> Template:
        """Add a member of staff; they set their own password with a one-time link shown once here."""
        me = await signed_in_account(request)
        form = await request.form()
        values: dict[str, Any] = {"email": str(form.get("email", "")).strip()[:320], "role": str(form.get("role", "")),
                  "initiatives": [str(s) for s in form.getall("initiative", [])]}
        errors: dict[str, str] = {}
        if "@" not in values["email"] or any(c.isspace() for c in values["email"]):
            errors["email"] = "Enter an email address, like name@example.org"
        if values["role"] not in ROLES:
            errors["role"] = "Choose a role"
        elif values["role"] != "admin" and not values["initiatives"]:
            errors["initiatives"] = f"Choose at least one initiative for a {values['role']} (admins see all)"
        if not errors:
            try:
                account_id = await accounts.add_account(
                    values["email"], None, values["role"], [] if values["role"] == "admin" else values["initiatives"],
                    actor=me.email, new_only=True)
            except ValueError as e:
                errors["email"] = str(e)
        if errors:
            return await self._new_user_page(request, values, errors)
        token = await credentials.issue(account_id, credentials.SET_PASSWORD)
        return page(request, "lead/user.html", account=me, user=await accounts.get_account(account_id), roles=ROLES,
                    initiatives=await all_initiatives(), error=None, link=set_password_link(request, token),
                    added=True)

    @post("/{account_id:int}/second-factor/reset", status_code=303)
    async def reset_second_factor(self, request: Request, account_id: FromPath[int]) -> Template | Redirect:
        me = await signed_in_account(request)
        user = await accounts.get_account(account_id)
        if user is None:
            raise NotFoundException()
        ask = await unless_confirmed(
            request, question=f"Remove {user['email']}'s second factor?",
            consequences="Their authenticator app stops working for Heard. If a second factor is required for "
            "them, they set up a new one when they next sign in.",
            button="Yes, remove it", back=f"/lead/admin/users/{account_id}")
        if ask is not None:
            return ask
        await credentials.reset_second_factor(account_id, actor=me.email)
        return Redirect(f"/lead/admin/users/{account_id}", status_code=303)

    @get("/{account_id:int}")
    async def user(self, request: Request, account_id: FromPath[int]) -> Template:
        user = await accounts.get_account(account_id)
        if user is None:
            raise NotFoundException()
        return page(request, "lead/user.html", account=await current_account(request), user=user,
                    roles=ROLES, initiatives=await all_initiatives(), error=None, link=None)

    @post("/{account_id:int}", status_code=200)
    async def change(self, request: Request, account_id: FromPath[int]) -> Template | Redirect:
        me = await signed_in_account(request)
        form = await request.form()
        role = str(form.get("role", ""))
        slugs = [str(s) for s in form.getall("initiative", [])] if hasattr(form, "getall") else []
        if account_id == me.account_id and role != "admin":
            error = "You can't remove your own admin role: ask another admin"
        elif role not in ROLES:
            error = "Choose a role"
        else:
            error = None
        if error is None and form.get("active") != "yes" and account_id != me.account_id:
            current = await accounts.get_account(account_id)
            if current is not None and current["active"]:
                ask = await unless_confirmed(
                    request, question=f"Suspend {current['email']}?",
                    consequences="They are signed out everywhere at once and can't sign in until an administrator "
                    "makes the account active again. Nothing they made is deleted.",
                    button="Yes, suspend the account", back=f"/lead/admin/users/{account_id}")
                if ask is not None:
                    return ask
        if error is None:
            try:
                await accounts.change_access(
                    account_id, role=role, initiative_slugs=slugs,
                    active=form.get("active") == "yes" or account_id == me.account_id,
                    totp_required=form.get("totp_required") == "yes", actor=me.email,
                )
            except ValueError as e:
                error = str(e)
        if error is not None:
            user = await accounts.get_account(account_id)
            if user is None:
                raise NotFoundException()
            return page(request, "lead/user.html", status=400, account=me, user=user, roles=ROLES,
                        initiatives=await all_initiatives(), error=error, link=None)
        return Redirect("/lead/admin/users/", status_code=303)

    @post("/{account_id:int}/password-link", status_code=200)
    async def password_link(self, request: Request, account_id: FromPath[int]) -> Template:
        me = await signed_in_account(request)
        user = await accounts.get_account(account_id)
        if user is None:
            raise NotFoundException()
        token = await credentials.reset_link(account_id, actor=me.email)
        return page(request, "lead/user.html", account=me, user=user, roles=ROLES,
                    initiatives=await all_initiatives(), error=None, link=set_password_link(request, token))

    @post("/{account_id:int}/sign-out-everywhere", status_code=303)
    async def sign_out_user(self, request: Request, account_id: FromPath[int]) -> Redirect:
        me = await signed_in_account(request)
        user = await accounts.get_account(account_id)
        if user is None:
            raise NotFoundException()
        await accounts.sign_out_everywhere(account_id, actor=me.email, own=False)
        return Redirect(f"/lead/admin/users/{account_id}", status_code=303)


def _audit_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(AUDIT_COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) if c != "at" else row["at"].isoformat(timespec="seconds")
                         for c in AUDIT_COLUMNS])
    return buffer.getvalue()


def _csv_response(text: str, filename: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


class AuditPages(Controller):
    path = "/lead"
    include_in_schema = False

    @get("/audit", opt=access.admin())
    async def all_events(self, request: Request) -> Template:
        return page(request, "lead/audit.html", account=await current_account(request), initiative=None,
                    events=await audit.events())

    @get("/audit.csv", opt=access.admin())
    async def all_events_csv(self, request: Request) -> Response:
        await audit.audit_log_downloaded(actor=(await signed_in_account(request)).email)
        return _csv_response(_audit_csv(await audit.events(limit=100_000)), "heard-audit.csv")

    @get("/{slug:str}/audit", opt=access.initiative("lead"))
    async def initiative_events(self, request: Request, slug: FromPath[str]) -> Template:
        initiative = request.state.initiative
        return page(request, "lead/audit.html", account=await current_account(request), initiative=initiative,
                    events=await audit.events(initiative_ids=[initiative["id"]]))

    @get("/{slug:str}/audit.csv", opt=access.initiative("lead"))
    async def initiative_events_csv(self, request: Request, slug: FromPath[str]) -> Response:
        initiative = request.state.initiative
        await audit.audit_log_downloaded(actor=(await signed_in_account(request)).email, initiative_id=initiative["id"])
        rows = await audit.events(initiative_ids=[initiative["id"]], limit=100_000)
        return _csv_response(_audit_csv(rows), f"heard-{slug}-audit.csv")
