"""The steps of signing in that the password and the code pages share: throttling and the cookie.

Throttling keys are HMACs (keyed with ``HEARD_SECRET_KEY``) of the email and of the client address,
so the database holds neither an IP address nor a list of emails people tried.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math

from litestar import Request
from litestar.datastructures import Cookie
from litestar.response import Redirect

from frontend.core.access import LOGIN_COOKIE
from surveys import accounts, throttle


def _keyed(request: Request, kind: str, value: str) -> str:
    secret = request.app.state.settings.secret_key.encode()
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def throttle_keys(request: Request, email: str) -> dict[str, str]:
    address = request.client.host if request.client else "unknown"
    return {
        "account": _keyed(request, "account", email.strip().lower()),
        "address": _keyed(request, "address", address),
    }


def wait_message(until: dt.datetime) -> str:
    minutes = max(1, math.ceil((until - dt.datetime.now(dt.UTC)).total_seconds() / 60))
    return (
        f"Too many sign-in attempts have failed. For your security, wait {minutes} "
        f"minute{'s' if minutes != 1 else ''} and try again, or ask an administrator for a new password link."
    )


async def reserve(request: Request, email: str) -> tuple[str | None, throttle.Reservation]:
    """Count this attempt before its password or code is checked: the message to show instead if
    sign-ins for this email or from this address are paused (nothing is checked then), else None."""
    reservation = await throttle.reserve(throttle_keys(request, email))
    if reservation.until is None:
        return None, reservation
    await accounts.sign_in_refused(email)
    return wait_message(reservation.until), reservation


def login_cookie(request: Request, token: str) -> Cookie:
    secure = request.app.state.settings.base_url.startswith("https://")
    return Cookie(key=LOGIN_COOKIE, value=token, httponly=True, samesite="lax", secure=secure,
                  path="/", max_age=int(accounts.LOGIN_LIFETIME.total_seconds()))


async def signed_in_redirect(request: Request, account_id: int, email: str, detail: str = "",
                             reservation: throttle.Reservation | None = None) -> Redirect:
    await throttle.succeeded(throttle_keys(request, email)["account"], reservation)
    token = await accounts.sign_in(account_id, email, detail=detail)
    return Redirect("/lead/", status_code=303, cookies=[login_cookie(request, token)])
