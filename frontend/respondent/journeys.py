"""The two ways through a questionnaire: the parent's or practitioner's form on a phone (``/s/``)
and the child's tablet (``/k/``). The form pages, the kiosk and the kiosk's picture code all use them."""

from __future__ import annotations

from dataclasses import dataclass

from surveys.questionnaires import Page
from surveys.sessions import OpenSession


@dataclass(frozen=True)
class Journey:
    """What differs between the parent form and the child kiosk."""

    prefix: str
    kiosk: bool

    def pages(self, session: OpenSession) -> tuple[Page, ...]:
        pages = session.definition.pages
        # Children on the tablet don't type: free-text and number questions are for the parent
        # and practitioner forms (a practitioner's kiosk link keeps its numbers).
        typed = ("text",) if session.audience == "practitioner" else ("text", "number")
        return tuple(p for p in pages if p.question.type not in typed) if self.kiosk else pages

    def template(self, name: str) -> str:
        return f"{'kiosk' if self.kiosk else 'respond'}/{name}.html"


PARENT = Journey("/s", kiosk=False)
KIOSK = Journey("/k", kiosk=True)
