"""Initiative packs: what a new initiative starts with, as a folder of files, not code.

A pack is a folder here (``surveys/packs/<name>/``) holding:

``pack.toml``
    the pack's own title and a line on when to use it; the initiative it makes (name,
    suggested slug, summary, the safeguarding contact wording); which of its questionnaires a
    new initiative starts with; its delivery partners, and its privacy-notice defaults.
``questionnaires/*.toml``
    its questionnaires, in the format of ``heard questionnaire import`` (their text carries
    its own translations, so a new initiative is in every language Heard offers).
``codebook.toml``
    the themes its free-text answers are first coded with (read by :mod:`voice`).

Heard ships five: the three Dundee initiatives it was built with (``art-at-the-start``,
``cmhwf``, ``anew``) and two any service can start from (``generic-parent-group``,
``generic-children-tablet``). A pack is read and checked whole before anything is made from it,
so a pack with a bad file is refused with a message naming the file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from surveys.errors import SurveyError

FOLDER = Path(__file__).resolve().parent
NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
PRIVACY_FIELDS = ("controller", "purpose", "lawful_basis", "contact", "rights")


class PackError(SurveyError):
    """No such pack, or one of its files is not as it should be (the message names which)."""


@dataclass(frozen=True)
class Pack:
    name: str  # the folder's name, e.g. "generic-parent-group"
    title: str
    about: str
    initiative_name: str
    initiative_slug: str
    summary: str
    contact: str
    questionnaires: tuple[str, ...]  # every questionnaire of the pack, by slug, in the order shown
    start_with: tuple[str, ...]  # the ones a new initiative is given at once
    partners: tuple[str, ...] = ()
    privacy: tuple[tuple[str, str], ...] = ()  # (field, wording) for the notice's blanks

    @property
    def folder(self) -> Path:
        return FOLDER / self.name

    @property
    def codebook_file(self) -> Path:
        return self.folder / "codebook.toml"

    def questionnaire_file(self, slug: str) -> Path:
        return self.folder / "questionnaires" / f"{slug}.toml"


def names() -> tuple[str, ...]:
    """Every shipped pack, by name."""
    return tuple(sorted(p.parent.name for p in FOLDER.glob("*/pack.toml")))


@lru_cache(maxsize=32)
def get(name: str) -> Pack:
    """The pack called ``name``, read and checked; PackError if there is none or it is broken."""
    # Looked up among the packs there are, never as a path: a name too long for the file
    # system made the look-up itself fail (OSError), where it should say there is no such pack.
    if not isinstance(name, str) or not NAME.fullmatch(name) or name not in names():
        known = ", ".join(names())
        raise PackError(f"There is no pack called {name!r}. The packs are: {known}.")
    return _read(name)


def all_packs() -> tuple[Pack, ...]:
    """Every shipped pack: the generic ones any service can start from first, then by title."""
    return tuple(
        sorted((get(name) for name in names()), key=lambda p: (not p.name.startswith("generic-"), p.title.casefold()))
    )


def questionnaire_files() -> tuple[Path, ...]:
    """Every questionnaire file of every pack (the templates Heard ships)."""
    return tuple(sorted(FOLDER.glob("*/questionnaires/*.toml")))


def questionnaire_file(slug: str) -> Path | None:
    """The shipped questionnaire file with this slug, from whichever pack has it."""
    return next((p for p in questionnaire_files() if p.stem == slug), None)


def _read(name: str) -> Pack:
    where = f"pack {name!r} (pack.toml)"
    try:
        data = tomllib.loads((FOLDER / name / "pack.toml").read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise PackError(f"{where} is not valid TOML: {error}") from error
    initiative = data.get("initiative")
    if not isinstance(initiative, dict):
        raise PackError(f"{where} needs an [initiative] table")

    def text(table: dict, key: str, label: str, *, required: bool = True) -> str:
        value = table.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise PackError(f"{where}: {label} must be some text")
        return " ".join(value.split())

    def slugs(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PackError(f"{where}: {key} must be a list of questionnaire slugs")
        return tuple(value)

    slug = text(initiative, "slug", "[initiative] slug")
    if not NAME.fullmatch(slug):
        raise PackError(f"{where}: [initiative] slug must be lower-case letters, digits and dashes")
    questionnaires, start_with = slugs("questionnaires"), slugs("start_with")
    if not questionnaires:
        raise PackError(f"{where}: questionnaires must name at least one questionnaire")
    for missing in [s for s in start_with if s not in questionnaires]:
        raise PackError(f"{where}: start_with names {missing!r}, which is not in questionnaires")
    for slug_ in questionnaires:
        if not (FOLDER / name / "questionnaires" / f"{slug_}.toml").is_file():
            raise PackError(f"{where}: there is no questionnaires/{slug_}.toml")
    reach = data.get("reach", {})
    partners = reach.get("partners", []) if isinstance(reach, dict) else None
    if not isinstance(partners, list) or not all(isinstance(p, str) and p.strip() for p in partners):
        raise PackError(f"{where}: [reach] partners must be a list of organisations' names")
    privacy = data.get("privacy", {})
    if not isinstance(privacy, dict) or set(privacy) - set(PRIVACY_FIELDS):
        raise PackError(f"{where}: [privacy] may only set {', '.join(PRIVACY_FIELDS)}")
    return Pack(
        name=name,
        title=text(data, "title", "title"),
        about=text(data, "about", "about"),
        initiative_name=text(initiative, "name", "[initiative] name"),
        initiative_slug=slug,
        summary=text(initiative, "summary", "[initiative] summary", required=False),
        contact=text(initiative, "contact", "[initiative] contact", required=False),
        questionnaires=questionnaires,
        start_with=start_with,
        partners=tuple(" ".join(p.split()) for p in partners),
        privacy=tuple((k, text(privacy, k, f"[privacy] {k}")) for k in PRIVACY_FIELDS if k in privacy),
    )
