"""Request bodies from outside, checked in one place before any handler reads them.

Every POST (PUT, PATCH, DELETE) passes through :func:`body_checks`, which refuses, with a clear
error (a page for people, problem details for the API; see :mod:`frontend.core.errors`):

* a body of the wrong kind: the API takes ``application/json`` only (415), every other route
  takes a form (``application/x-www-form-urlencoded`` or ``multipart/form-data``) only (415);
* more bytes than the route allows, counted on the bytes actually read, so a chunked body with
  no ``Content-Length`` is held to the same limit (413). A route may allow a bigger multipart
  body (a voice note) than a plain form: its ``text_body_limit`` opt caps everything else;
* JSON nested deeper than :data:`MAX_JSON_DEPTH`, found by a scan of the raw bytes before any
  decoder (which recurses) sees them (400);
* a form whose text is not UTF-8, percent-encoded or raw (400), where Litestar would read it as
  Latin-1 and store mojibake.

:class:`HeardRequest` adds what needs the parsed form: a multipart text part that is not UTF-8
is a 400, and a file part under a name that is not a file field of the route (``page``, a text
answer) is a 400, never an answer silently dropped. A route names its file fields in its
``file_fields`` opt: names, or name endings such as ``.voice``.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from litestar import Request
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.exceptions import ClientException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.handlers import HTTPRouteHandler
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send

MAX_JSON_DEPTH = 32  # a submission is three levels deep; nothing Heard takes needs more
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON = "application/json"
URL_ENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"

TOO_DEEP = f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep, which is more than Heard accepts."
NOT_JSON = "Send the body as application/json."
NOT_A_FORM = "Send the form as application/x-www-form-urlencoded or multipart/form-data."
NOT_UTF8 = "The form was not sent as UTF-8 text. Please go back and try again."
TOO_BIG = "Too much was sent."

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def json_depth(raw: bytes) -> int:
    """How deeply ``raw`` nests arrays and objects, without decoding it (brackets in strings aside)."""
    brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    depth = deepest = 0
    for b in brackets:
        depth += 1 if b in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _too_deep(raw: bytes) -> bool:
    # Fewer openings than the limit can't nest past it: counted at C speed, most bodies end here.
    return raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH and json_depth(raw) > MAX_JSON_DEPTH


def check_utf8_form(raw: bytes) -> bytes:
    """``raw`` (an urlencoded form) if every name and value is UTF-8, with any raw non-ASCII bytes
    percent-encoded, so Litestar's Latin-1 reading gives back the UTF-8 text that was sent."""
    for part in raw.split(b"&"):
        for piece in part.split(b"=", 1):
            try:
                unquote_to_bytes(piece.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                raise ClientException(NOT_UTF8) from None
    if raw.isascii():
        return raw
    return b"".join(b"%%%02X" % b if b >= 0x80 else bytes((b,)) for b in raw)


def _body_headers(scope: Scope) -> tuple[str, str, bool]:
    """The request's media type (lower case, no parameters), its ``Content-Length`` as sent
    (stripped; "" if none) and whether it is chunked: the first of each header, as
    :class:`~litestar.datastructures.Headers` would read them, straight from the scope."""
    media = length = None
    chunked = False
    for raw_name, value in scope["headers"]:
        name = raw_name.lower()
        if name == b"content-type":
            if media is None:
                media = value.decode("latin-1").split(";", 1)[0].strip().lower()
        elif name == b"content-length":
            if length is None:
                length = value.decode("latin-1").strip()
        elif name == b"transfer-encoding":
            chunked = True
    return media or "", length or "", chunked


def _limit(scope: Scope, media: str) -> float:
    handler = scope.get("route_handler")
    if not isinstance(handler, HTTPRouteHandler):  # none, or an ASGI mount: no body limit to apply
        return float("inf")
    limit = handler.resolve_request_max_body_size() or float("inf")
    if media != MULTIPART:
        limit = min(limit, handler.opt.get("text_body_limit") or limit)
    return limit


def body_checks(app: ASGIApp) -> ASGIApp:
    """App middleware: the checks above, for every route that takes a body."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in BODY_METHODS:
            await app(scope, receive, send)
            return
        media, announced, chunked = _body_headers(scope)
        if chunked or announced not in ("", "0"):
            if scope.get("path", "").startswith("/api/"):
                if media != JSON:
                    raise ClientException(NOT_JSON, status_code=415)
            elif media not in (URL_ENCODED, MULTIPART):
                raise ClientException(NOT_A_FORM, status_code=415)
        limit = _limit(scope, media)
        if announced.isdigit() and int(announced) > limit:
            raise RequestEntityTooLarge(TOO_BIG)
        received = 0

        async def counted() -> ReceiveMessage:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RequestEntityTooLarge(TOO_BIG)
            return message

        if media not in (JSON, URL_ENCODED):
            await app(scope, counted, send)
            return
        # Small bodies Litestar reads whole anyway: read them here, check them, hand them on.
        chunks: list[bytes] = []
        while True:
            message = await counted()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if media == JSON and _too_deep(body):
            raise ClientException(TOO_DEEP, extra={"max_depth": MAX_JSON_DEPTH})
        if media == URL_ENCODED:
            body = check_utf8_form(body)
        replayed = False

        async def replay() -> ReceiveMessage:
            nonlocal replayed
            if replayed:
                return await receive()  # e.g. the client going away
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await app(scope, replay, send)

    return middleware


def _is_file_field(name: str, allowed: tuple[str, ...]) -> bool:
    return any(name == a or (a.startswith(".") and name.endswith(a)) for a in allowed)


class HeardRequest(Request):
    """Litestar's request, with a form that is text where text is expected."""

    async def form(self) -> FormMultiDict:
        try:
            form = await super().form()
        except UnicodeDecodeError:  # a multipart text part that is not UTF-8
            raise ClientException(NOT_UTF8) from None
        allowed = tuple(self.route_handler.opt.get("file_fields", ()))
        files = sorted(
            {
                name
                for name, value in form.multi_items()
                if isinstance(value, UploadFile) and not _is_file_field(name, allowed)
            }
        )
        if files:
            raise ClientException(
                "These fields must be typed text, not files: " + ", ".join(files) + ".",
                extra={"fields": files},
            )
        return form
