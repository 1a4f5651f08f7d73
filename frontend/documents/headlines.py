"""Partner headlines, one whole sentence per audience and state, never spliced from parts.

"23 of 40 parents (58%) felt listened to" reads well in English, but Polish, Ukrainian, Urdu and
Arabic make the verb agree with the number, the noun's case follow the numeral, and the noun's
plural take up to six forms (Arabic). So each sentence here is its own message, chosen by
audience and by what may be shown, with ``ngettext`` on the number of people so every
language's plural forms are used; translators may put the questionnaire's wording first, as a
label before a colon ("Czuli się wysłuchani: 23 z 40 rodziców (58%)"), which reads right whatever
the count. A questionnaire translates its wording (``headline``) per language; where it
doesn't, the English wording is used.

These strings are in the message catalogs (``babel.cfg``); the rest of a partner document is
English.
"""

from __future__ import annotations

from collections.abc import Callable

Say = Callable[..., str]


def _people(_: Say, ngettext: Say, state: str, n: int, v: dict, who: str) -> str:
    """Parents' and children's headlines (and anyone else's, as "people")."""
    if who == "parent":
        if state == "shown":
            return ngettext(
                "%(count)s of %(total)s parent (%(share)s) %(wording)s",
                "%(count)s of %(total)s parents (%(share)s) %(wording)s",
                n,
                **v,
            )
        if state == "none":
            return _("No parents have answered yet: %(wording)s", **v)
        if state == "too_few":
            return _("Fewer than %(threshold)s parents answered, so how many %(wording)s is not shown", **v)
        if state == "fewer":
            return ngettext(
                "Fewer than %(threshold)s of %(total)s parent %(wording)s",
                "Fewer than %(threshold)s of %(total)s parents %(wording)s",
                n,
                **v,
            )
        return ngettext(
            "How many of %(total)s parent %(wording)s is hidden to protect small numbers",
            "How many of %(total)s parents %(wording)s is hidden to protect small numbers",
            n,
            **v,
        )
    if who == "child":
        if state == "shown":
            return ngettext(
                "%(count)s of %(total)s child (%(share)s) %(wording)s",
                "%(count)s of %(total)s children (%(share)s) %(wording)s",
                n,
                **v,
            )
        if state == "none":
            return _("No children have answered yet: %(wording)s", **v)
        if state == "too_few":
            return _("Fewer than %(threshold)s children answered, so how many %(wording)s is not shown", **v)
        if state == "fewer":
            return ngettext(
                "Fewer than %(threshold)s of %(total)s child %(wording)s",
                "Fewer than %(threshold)s of %(total)s children %(wording)s",
                n,
                **v,
            )
        return ngettext(
            "How many of %(total)s child %(wording)s is hidden to protect small numbers",
            "How many of %(total)s children %(wording)s is hidden to protect small numbers",
            n,
            **v,
        )
    if state == "shown":
        return ngettext(
            "%(count)s of %(total)s person (%(share)s) %(wording)s",
            "%(count)s of %(total)s people (%(share)s) %(wording)s",
            n,
            **v,
        )
    if state == "none":
        return _("Nobody has answered yet: %(wording)s", **v)
    if state == "too_few":
        return _("Fewer than %(threshold)s people answered, so how many %(wording)s is not shown", **v)
    if state == "fewer":
        return ngettext(
            "Fewer than %(threshold)s of %(total)s person %(wording)s",
            "Fewer than %(threshold)s of %(total)s people %(wording)s",
            n,
            **v,
        )
    return ngettext(
        "How many of %(total)s person %(wording)s is hidden to protect small numbers",
        "How many of %(total)s people %(wording)s is hidden to protect small numbers",
        n,
        **v,
    )


def _records(_: Say, ngettext: Say, state: str, n: int, v: dict) -> str:
    """Practitioners' headlines: their wording is a whole clause ("children had their views
    heard"), and Heard counts their records, not them."""
    if state == "shown":
        return ngettext(
            "In %(count)s of %(total)s practitioner record (%(share)s), %(wording)s",
            "In %(count)s of %(total)s practitioner records (%(share)s), %(wording)s",
            n,
            **v,
        )
    if state == "none":
        return _("No practitioner records yet of whether %(wording)s", **v)
    if state == "too_few":
        return _("Fewer than %(threshold)s practitioner records, so how often %(wording)s is not shown", **v)
    if state == "fewer":
        return ngettext(
            "In fewer than %(threshold)s of %(total)s practitioner record, %(wording)s",
            "In fewer than %(threshold)s of %(total)s practitioner records, %(wording)s",
            n,
            **v,
        )
    return ngettext(
        "How often %(wording)s is hidden to protect small numbers (%(total)s practitioner record)",
        "How often %(wording)s is hidden to protect small numbers (%(total)s practitioner records)",
        n,
        **v,
    )


STATES = ("shown", "none", "too_few", "fewer", "hidden")


def sentence(_: Say, ngettext: Say, audience: str, state: str, people: int | None, **values: str) -> str:
    """The headline for ``audience`` in ``state`` ("shown", "none", "too_few", "fewer", "hidden"),
    in the language ``_``/``ngettext`` speak; ``people`` (how many answered) chooses the plural."""
    if state not in STATES:
        raise ValueError(f"unknown headline state {state!r}")
    if audience == "practitioner":
        return _records(_, ngettext, state, people or 0, values)
    return _people(_, ngettext, state, people or 0, values, audience)


def compared(_: Say, **values: str) -> str:
    return _("%(line)s. Compared with: %(value)s %(description)s (%(source)s, %(year)s)", **values)
