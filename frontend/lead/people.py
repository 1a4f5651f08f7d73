"""An initiative's people (``/lead/{slug}/people``): its leads manage who may use it.

A lead adds leads and viewers to their own initiative, removes them from it, changes the role
of someone who works on it alone, and gives such a person a new one-time link to set their
password. Administrators, and people who also work on other initiatives, are listed (without
saying where else) but are an administrator's to change. Viewers can't open this page. Every
change is on the initiative's audit log; removing someone asks first.
"""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from frontend.core import access
from frontend.core.access import current_account, signed_in_account
from frontend.core.rendering import page
from frontend.lead.accounts import set_password_link
from frontend.lead.confirm import unless_confirmed
from surveys import accounts, credentials
from surveys.accounts import INITIATIVE_ROLES, PeopleError


class PeoplePages(Controller):
    path = "/lead/{slug:str}/people"
    opt = access.initiative("lead")
    include_in_schema = False

    async def _page(
        self,
        request: Request,
        *,
        status: int = 200,
        errors: dict | None = None,
        values: dict | None = None,
        link: tuple[str, str] | None = None,
        message: str | None = None,
    ) -> Template:
        initiative = request.state.initiative
        return page(
            request,
            "lead/people.html",
            status=status,
            account=await current_account(request),
            initiative=initiative,
            people=await accounts.members_of(initiative["id"]),
            roles=INITIATIVE_ROLES,
            errors=errors or {},
            values=values or {"role": "viewer"},
            link=link,
            message=message or request.query_params.get("done"),
        )

    @get("/")
    async def people(self, request: Request, slug: FromPath[str]) -> Template:
        return await self._page(request)

    @post("/", status_code=200)
    async def add(self, request: Request, slug: FromPath[str]) -> Template:
        me = await signed_in_account(request)
        form = await request.form()
        values = {"email": str(form.get("email", "")).strip()[:320], "role": str(form.get("role", ""))}
        try:
            account_id, new = await accounts.add_to_initiative(
                values["email"], values["role"], request.state.initiative["id"], actor=me.email
            )
        except PeopleError as e:
            field = "role" if values["role"] not in INITIATIVE_ROLES else "email"
            return await self._page(request, status=400, errors={field: str(e)}, values=values)
        if not new:
            return await self._page(request, message=f"{values['email'].lower()} can now use this initiative")
        token = await credentials.issue(account_id, credentials.SET_PASSWORD)
        return await self._page(request, link=(values["email"].lower(), set_password_link(request, token)))

    @post("/{account_id:int}/remove", status_code=303, opt=access.initiative("lead", account_id="member"))
    async def remove(self, request: Request, slug: FromPath[str], account_id: FromPath[int]) -> Template | Redirect:
        me = await signed_in_account(request)
        initiative = request.state.initiative
        try:
            member = await accounts.member_of(account_id, initiative["id"])
        except PeopleError as e:
            return await self._page(request, status=400, errors={"people": str(e)})
        ask = await unless_confirmed(
            request,
            question=f"Remove {member['email']} from {initiative['name']}?",
            consequences="They can no longer see this initiative. "
            + (
                "They keep access to the other initiatives they work on."
                if member["elsewhere"]
                else "It was the only initiative they had, so their account is suspended and they are signed out."
            ),
            button="Yes, remove them",
            back=f"/lead/{slug}/people/",
        )
        if ask is not None:
            return ask
        try:
            await accounts.remove_from_initiative(account_id, initiative["id"], actor=me.email, actor_id=me.account_id)
        except PeopleError as e:
            return await self._page(request, status=400, errors={"people": str(e)})
        return Redirect(f"/lead/{slug}/people/?done=removed", status_code=303)

    @post("/{account_id:int}/role", status_code=303, opt=access.initiative("lead", account_id="member"))
    async def role(self, request: Request, slug: FromPath[str], account_id: FromPath[int]) -> Template | Redirect:
        me = await signed_in_account(request)
        form = await request.form()
        try:
            await accounts.set_initiative_role(
                account_id,
                request.state.initiative["id"],
                str(form.get("role", "")),
                actor=me.email,
                actor_id=me.account_id,
            )
        except PeopleError as e:
            return await self._page(request, status=400, errors={"people": str(e)})
        return Redirect(f"/lead/{slug}/people/?done=role+changed", status_code=303)

    @post("/{account_id:int}/password-link", status_code=200, opt=access.initiative("lead", account_id="member"))
    async def password_link(self, request: Request, slug: FromPath[str], account_id: FromPath[int]) -> Template:
        me = await signed_in_account(request)
        initiative = request.state.initiative
        try:
            member = await accounts.may_reset_for(account_id, initiative["id"])
        except PeopleError as e:
            return await self._page(request, status=400, errors={"people": str(e)})
        token = await credentials.reset_link(account_id, actor=me.email, initiative_id=initiative["id"])
        return await self._page(request, link=(member["email"], set_password_link(request, token)))
