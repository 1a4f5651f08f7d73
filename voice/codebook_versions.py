"""Each initiative's codebook, versioned in the database.

The first time an initiative's codebook is needed it is seeded from the shipped file
(``surveys/packs/<pack>/codebook.toml``). Every change a lead makes (a theme added, edited or removed,
a keyword merged in) is saved as a new version, never an edit in place, so each answer's themes
say which version coded them and a report can say which codebook it used.
"""

from __future__ import annotations

import re
from dataclasses import replace

from cachetools import LRUCache

from surveys import audit, db
from surveys import text as texts
from surveys.db import kept
from surveys.tables import Initiative, Questionnaire
from voice.tables import CodebookVersion, IgnoredProposal
from voice.themes import Codebook, CodebookError, Theme, _codebook_from_dict, check_titles, default_codebook

__all__ = [
    "add_keyword",
    "add_theme",
    "current_codebook",
    "questionnaire_titles",
    "edit_theme",
    "remove_theme",
    "save_codebook",
    "theme_key_for",
    "versions",
]


def _as_dict(codebook: Codebook) -> dict:
    return {
        "themes": [
            {"key": t.key, "name": t.name, "description": t.description, "keywords": list(t.keywords),
             **({"examples": list(t.examples)} if t.examples else {})}
            for t in codebook.themes
        ]
    }


def _from_row(slug: str, row: dict) -> Codebook:
    definition = row["definition"]
    if isinstance(definition, str):  # SQLite hands JSON back as text
        import json

        definition = json.loads(definition)
    return _codebook_from_dict({"initiative": slug, "version": row["number"], **definition})


async def _slug(initiative_id: int) -> str:
    row = await Initiative.select(Initiative.slug).where(Initiative.id == initiative_id).first()
    if row is None:
        raise CodebookError(f"no initiative {initiative_id}")
    return row["slug"]


# Parsed codebooks by version row: a version never changes once saved (an edit is a new version),
# so each is parsed, and its keyword matcher built, once per process, not once per theming batch.
_parsed: LRUCache[tuple[int, int], Codebook] = kept(LRUCache(maxsize=256))
_titled: LRUCache[tuple, Codebook] = kept(LRUCache(maxsize=256))


async def questionnaire_titles(initiative_id: int) -> tuple[str, ...]:
    """The titles of the initiative's questionnaires: words every answer shares, never a theme."""
    # Asked for by every theming batch: one hand-written query, not one built afresh each time.
    rows = await db.fetch("SELECT title FROM questionnaire WHERE initiative = {}", initiative_id,
                          engine=Questionnaire._meta.db)
    return tuple(sorted(r["title"] for r in rows if r["title"]))


async def current_codebook(initiative_id: int) -> Codebook:
    """The initiative's newest codebook version, seeding version 1 from the shipped file if none.

    It matches answers knowing the initiative's questionnaire titles, so a keyword made only of
    their words ("meeting", kept from an older codebook) is ignored.
    """
    codebook = await _current_codebook(initiative_id)
    key = (initiative_id, codebook.version, codebook.themes, await questionnaire_titles(initiative_id))
    titled = _titled.get(key)
    if titled is None:  # kept, so its matcher and example vectorizer are built once, not per batch
        titled = _titled[key] = codebook.for_titles(key[-1])
    return titled


async def _current_codebook(initiative_id: int) -> Codebook:
    # Every theming batch asks: the newest version's id is enough when it is parsed already.
    newest_id = await db.fetch("SELECT id FROM codebook_version WHERE initiative = {} ORDER BY number DESC LIMIT 1",
                            initiative_id, engine=CodebookVersion._meta.db)
    if newest_id:
        parsed = _parsed.get((initiative_id, newest_id[0]["id"]))
        if parsed is not None:
            return parsed
    row = await _newest(initiative_id)
    if row is not None:
        key = (initiative_id, row["id"])
        if key not in _parsed:
            _parsed[key] = _from_row(await _slug(initiative_id), row)
        return _parsed[key]
    initiative = await Initiative.select(Initiative.slug, Initiative.pack).where(Initiative.id == initiative_id).first()
    if initiative is None:
        raise CodebookError(f"no initiative {initiative_id}")
    slug = initiative["slug"]
    try:
        # The codebook of the pack the initiative was made from, under the initiative's own name.
        shipped = replace(default_codebook(initiative["pack"]), initiative=slug)
    except CodebookError:
        # An initiative Heard ships no codebook for starts with one broad theme to build on.
        shipped = Codebook(slug, 1, (Theme("general", "General", "Anything not yet themed.", ("help",)),))
    try:
        async with CodebookVersion._meta.db.transaction():
            if await _newest(initiative_id) is None:  # another request may have seeded it meanwhile
                await CodebookVersion.insert(
                    CodebookVersion(initiative=initiative_id, number=shipped.version, definition=_as_dict(shipped),
                                    note="the codebook Heard ships", created_by="system")
                )
    except Exception:  # noqa: BLE001 - on PostgreSQL a racing seed trips the unique index; use theirs
        if await _newest(initiative_id) is None:
            raise
    newest = await _newest(initiative_id)
    assert newest is not None  # seeded just above
    return _from_row(slug, newest)


async def _newest(initiative_id: int) -> dict | None:
    return await (
        CodebookVersion.select()
        .where(CodebookVersion.initiative == initiative_id)
        .order_by(CodebookVersion.number, ascending=False)
        .first()
    )


async def codebook_version(initiative_id: int, number: int) -> Codebook | None:
    row = await (
        CodebookVersion.select()
        .where((CodebookVersion.initiative == initiative_id) & (CodebookVersion.number == number))
        .first()
    )
    return None if row is None else _from_row(await _slug(initiative_id), row)


async def versions(initiative_id: int) -> list[dict]:
    """Every version, newest first: number, note, who and when (not the themes)."""
    return await (
        CodebookVersion.select(CodebookVersion.number, CodebookVersion.note, CodebookVersion.created_by,
                               CodebookVersion.created_at)
        .where(CodebookVersion.initiative == initiative_id)
        .order_by(CodebookVersion.number, ascending=False)
    )


async def save_codebook(initiative_id: int, themes: tuple[Theme, ...], *, actor: str, note: str) -> Codebook:
    """Save ``themes`` as the initiative's next codebook version (checked first) and audit it."""
    current = await current_codebook(initiative_id)
    titles = await questionnaire_titles(initiative_id)
    async with CodebookVersion._meta.db.transaction():
        newest = await _newest(initiative_id)
        assert newest is not None  # current_codebook seeded one
        number = newest["number"] + 1
        codebook = _codebook_from_dict(
            {"initiative": current.initiative, "version": number, **_as_dict(replace(current, themes=themes))}
        )
        check_titles(codebook, titles)
        await CodebookVersion.insert(
            CodebookVersion(initiative=initiative_id, number=number, definition=_as_dict(codebook),
                            note=note[:300], created_by=actor)
        )
    await audit.record("codebook changed", actor=actor, initiative_id=initiative_id,
                       detail=f"version {number}: {note}")
    return codebook.for_titles(titles)


def theme_key_for(name: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A slug for a new theme's name, unique among ``taken``: "Bus fares" -> "bus-fares"."""
    base = "-".join(re.findall(r"[a-z0-9]+", name.lower()))[:60] or "theme"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _typed(value: str, what: str, *, name: bool = False) -> str:
    """Text a lead typed into the codebook, in the normal form of :mod:`surveys.text` (a theme's
    name as a name, the rest as wording); CodebookError, saying why, for a control character."""
    try:
        return texts.name(value, what) if name else texts.wording(value, what)
    except texts.UnsafeText as error:
        raise CodebookError(str(error)) from None


def _examples(raw: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Example answers from a list, or from text with one per line (answers have commas), without repeats."""
    items = raw if isinstance(raw, (list, tuple)) else _typed(raw, "An example answer").splitlines()
    seen: dict[str, None] = {}
    for item in items:
        cleaned = " ".join(_typed(item, "An example answer").split())
        if cleaned and cleaned.lower() not in (e.lower() for e in seen):
            seen[cleaned] = None
    return tuple(seen)


def _keywords(raw: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Keywords from a list, or from text with one per line or comma-separated, without repeats."""
    items = raw if isinstance(raw, (list, tuple)) else re.split(r"[,\n]", _typed(raw, "A keyword"))
    seen: dict[str, None] = {}
    for item in items:
        cleaned = " ".join(_typed(item, "A keyword").split())
        if cleaned and cleaned.lower() not in (k.lower() for k in seen):
            seen[cleaned] = None
    return tuple(seen)


async def add_theme(initiative_id: int, *, name: str, description: str, keywords, actor: str,
                    examples=()) -> Codebook:
    current = await current_codebook(initiative_id)
    name, description = _typed(name, "The theme's name", name=True), _typed(description, "The description")
    key = theme_key_for(name, {t.key for t in current.themes})
    theme = Theme(key=key, name=name, description=description or name,
                  keywords=_keywords(keywords), examples=_examples(examples))
    return await save_codebook(initiative_id, (*current.themes, theme), actor=actor, note=f"added theme {key!r}")


async def edit_theme(initiative_id: int, key: str, *, name: str, description: str, keywords, actor: str,
                     examples=None) -> Codebook:
    """Change a theme; `examples` None keeps its example answers as they are."""
    current = await current_codebook(initiative_id)
    if key not in {t.key for t in current.themes}:
        raise CodebookError(f"no theme {key!r}")
    name, description = _typed(name, "The theme's name", name=True), _typed(description, "The description")
    themes = tuple(
        Theme(key=t.key, name=name, description=description, keywords=_keywords(keywords),
              examples=t.examples if examples is None else _examples(examples))
        if t.key == key else t
        for t in current.themes
    )
    return await save_codebook(initiative_id, themes, actor=actor, note=f"edited theme {key!r}")


async def remove_theme(initiative_id: int, key: str, *, actor: str) -> Codebook:
    current = await current_codebook(initiative_id)
    themes = tuple(t for t in current.themes if t.key != key)
    if len(themes) == len(current.themes):
        raise CodebookError(f"no theme {key!r}")
    return await save_codebook(initiative_id, themes, actor=actor, note=f"removed theme {key!r}")


async def add_keyword(initiative_id: int, key: str, phrase: str, *, actor: str) -> Codebook:
    """Merge a phrase into an existing theme as one more keyword."""
    current = await current_codebook(initiative_id)
    theme = next((t for t in current.themes if t.key == key), None)
    if theme is None:
        raise CodebookError(f"no theme {key!r}")
    phrase = _typed(phrase, "The phrase")
    themes = tuple(
        replace(t, keywords=_keywords([*map(texts.stored, t.keywords), phrase])) if t.key == key else t
        for t in current.themes
    )
    return await save_codebook(initiative_id, themes, actor=actor, note=f"merged {phrase!r} into theme {key!r}")


# -- suggested themes a lead has set aside -------------------------------------------------------

async def ignored_proposals(initiative_id: int) -> set[str]:
    """The phrases a lead has said not to suggest as themes again, in lower case."""
    rows = await IgnoredProposal.select(IgnoredProposal.phrase).where(IgnoredProposal.initiative == initiative_id)
    return {r["phrase"].lower() for r in rows}


async def ignore_proposal(initiative_id: int, phrase: str, *, actor: str) -> bool:
    """Stop suggesting ``phrase`` (already cleaned) as a theme; on the audit log. False if it was
    empty or already set aside."""
    if not phrase or phrase.lower() in await ignored_proposals(initiative_id):
        return False
    await IgnoredProposal.insert(IgnoredProposal(initiative=initiative_id, phrase=phrase))
    await audit.record("suggested theme ignored", actor=actor, initiative_id=initiative_id, detail=phrase)
    return True
