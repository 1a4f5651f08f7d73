"""The two ways through a questionnaire: the parent's or practitioner's form on a phone (``/s/``)
and the child's tablet (``/k/``). The form pages, the kiosk and the kiosk's picture code all use them."""

from __future__ import annotations

from dataclasses import dataclass

from surveys.questionnaires import Page, typed_types
from surveys.sessions import OpenSession


@dataclass(frozen=True)
class Journey:
    """What differs between the parent form and the child kiosk."""

    prefix: str
    kiosk: bool
    way: str  # how an answer given this way is recorded (surveys.tables.WAYS)

    def pages(self, session: OpenSession) -> tuple[Page, ...]:
        pages = session.definition.pages
        if not self.kiosk:
            return pages
        # Children on the tablet don't type (surveys.questionnaires.typed_types).
        typed = typed_types(session.audience)
        return tuple(p for p in pages if p.question.type not in typed)

    def cannot_ask(self, session: OpenSession) -> tuple[Page, ...]:
        """Required pages this journey leaves out: while there are any, nobody can finish it (a
        questionnaire stored before the tablet's rule was checked on import)."""
        if not self.kiosk:  # the phone form shows every page
            return ()
        shown = {p.answer_key for p in self.pages(session)}
        return tuple(p for p in session.definition.pages if p.question.required and p.answer_key not in shown)

    def template(self, name: str) -> str:
        return f"{'kiosk' if self.kiosk else 'respond'}/{name}.html"


PARENT = Journey("/s", kiosk=False, way="phone")
KIOSK = Journey("/k", kiosk=True, way="tablet")
