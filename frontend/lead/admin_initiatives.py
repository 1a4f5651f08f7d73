"""Admins set up initiatives from the web: ``/lead/admin/initiatives``.

Create one from a pack (its questionnaires in five languages, partners, codebook and privacy
wording) or blank; rename it (its web address, key and links stay); archive it (no new sessions,
data kept until retention ends) or restore it. Every form is CSRF-protected (the app's CSRF
config), every change is on the audit log, and a mistake is shown with the GOV.UK error summary.
A lead of the new initiative is then added on the users page.
"""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from frontend.core import access
from frontend.core.access import current_account, signed_in_account
from frontend.core.rendering import page
from frontend.lead.confirm import unless_confirmed
from surveys import packs
from surveys.errors import NotFound
from surveys.initiatives import (
    InitiativeError,
    all_initiatives,
    archive_initiative,
    by_slug,
    create_initiative,
    rename_initiative,
)

FORM_LIMIT = 16 * 1024


class InitiativeAdmin(Controller):
    path = "/lead/admin/initiatives"
    opt = access.admin()
    include_in_schema = False
    request_max_body_size = FORM_LIMIT

    async def _page(
        self,
        request: Request,
        *,
        status: int = 200,
        errors: dict | None = None,
        typed: dict | None = None,
        created: dict | None = None,
        rename_errors: dict | None = None,
    ) -> Template:
        return page(
            request,
            "lead/initiatives_admin.html",
            status=status,
            account=await current_account(request),
            initiatives=await all_initiatives(),
            packs=packs.all_packs(),
            errors=errors or {},
            typed=typed or {},
            created=created,
            rename_errors=rename_errors or {},
        )

    @get("/")
    async def list_and_create(self, request: Request) -> Template:
        created = None
        slug = request.query_params.get("created")
        if slug:
            try:
                created = await by_slug(slug[:100])
            except NotFound:  # an odd link just shows the list
                created = None
        return await self._page(request, created=created)

    @post("/", status_code=200)
    async def create(self, request: Request) -> Template | Redirect:
        me = await signed_in_account(request)
        form = await request.form()
        typed = {field: str(form.get(field, "")).strip()[:300] for field in ("name", "slug", "pack")}
        # The error summary links to each field by its id: the name, the address, the first pack.
        try:
            row = await create_initiative(
                typed["name"], slug=typed["slug"] or None, pack=typed["pack"] or None, actor=me.email
            )
        except InitiativeError as error:
            return await self._page(request, status=400, errors=error.errors, typed=typed)
        return Redirect(f"/lead/admin/initiatives/?created={row['slug']}", status_code=303)

    # The initiative is named in the path, but these are admin pages over every initiative, not
    # pages of one initiative (whose path parameter is ``slug``).
    @post("/{initiative_slug:str}/rename", status_code=200)
    async def rename(self, request: Request, initiative_slug: FromPath[str]) -> Template | Redirect:
        me = await signed_in_account(request)
        form = await request.form()
        try:
            await rename_initiative(initiative_slug, str(form.get("name", ""))[:300], actor=me.email)
        except InitiativeError as error:
            return await self._page(
                request, status=400, rename_errors={f"rename-{initiative_slug}": error.errors["name"]}
            )
        return Redirect("/lead/admin/initiatives/", status_code=303)

    @post("/{initiative_slug:str}/archive", status_code=303)
    async def archive(self, request: Request, initiative_slug: FromPath[str]) -> Template | Redirect:
        me = await signed_in_account(request)
        form = await request.form()
        archived = form.get("archived") != "no"
        if archived:
            ask = await unless_confirmed(
                request,
                question=f"Archive {initiative_slug}?",
                consequences="It takes no new sessions, and its open sessions stay as they are. Its answers are "
                "kept until its retention period ends. You can restore it later.",
                button="Yes, archive it",
                back="/lead/admin/initiatives/",
            )
            if ask is not None:
                return ask
        await archive_initiative(initiative_slug, archived=archived, actor=me.email)
        return Redirect("/lead/admin/initiatives/", status_code=303)
