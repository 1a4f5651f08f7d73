"""Small helpers the tests share: reading forms out of pages, and running coroutines."""

from __future__ import annotations

import asyncio
import concurrent.futures
from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hidden: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.hidden.append((a["name"], a.get("value") or ""))


def hidden_fields(html: str) -> list[tuple[str, str]]:
    """The hidden inputs of a page, in order (the state a respondent's next POST carries)."""
    parser = _Forms()
    parser.feed(html)
    return parser.hidden


def form_data(state: list[tuple[str, str]], **extra: str) -> dict[str, list[str]]:
    """A page's hidden state plus the fields a person fills in, as the next POST sends them."""
    data: dict[str, list[str]] = {}
    for name, value in state:
        data.setdefault(name, []).append(value)
    for name, value in extra.items():
        data[name] = [value]
    return data


def answer_pages(client, path: str, page_text: str, answers: list[dict[str, str]], **carry: str):
    """Post each page's answers in turn, carrying the state each page hands on; the last response."""
    page = None
    for answer in answers:
        page = client.post(
            path, data=form_data(hidden_fields(page_text), nav="next", **carry, **answer), follow_redirects=False
        )
        page_text = page.text
    return page


def element_ids(html: str) -> set[str]:
    parser = _Forms()
    parser.feed(html)
    return parser.ids


def run(awaitable):
    """Await a coroutine or a Piccolo query from a test, outside the app's event loop."""

    async def wait():
        return await awaitable

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(wait())
    # Playwright's sync API keeps a loop running in this thread: use a thread of our own.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, wait()).result()


def themed(client) -> None:
    """Wait until the app's theming worker has themed every response stored so far."""
    client.blocking_portal.call(client.app.state.theming.drain)


def font_glyphs(data: bytes, family: str) -> set[str]:
    """The glyph names of the embedded subset of ``family`` (fpdf2 embeds only the glyphs used)."""
    import io

    from fontTools.ttLib import TTFont  # fpdf2's own dependency
    from pypdf import PdfReader

    names: set[str] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if family not in font["/BaseFont"]:
                continue
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            names |= set(TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data())).getGlyphOrder())
    return names
