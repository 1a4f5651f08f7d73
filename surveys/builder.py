"""Building a questionnaire without a text editor: a draft changed one checked step at a time.

A draft holds exactly what a TOML file would (``definition``), so everything downstream is the
same: publishing hands it to :func:`surveys.versions.import_definition`, as an upload does, and
makes a version; answers keep pointing at the version they answered; the summary's rules for
combining versions don't change. A draft starts blank, from a pack's template, as a copy of a
questionnaire, or from a questionnaire's latest version (to edit it under the same slug).

Every change is checked before it is stored, by the same :func:`parse_definition` an import
uses, after plainer checks that can name the field a lead must fix (``BuilderError.errors``
maps a field to a message). A failed change stores nothing, so a draft always parses.
Publishing, starting and discarding are on the audit log, as are edits (which question, never
any answer).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from surveys import audit
from surveys.errors import NotFound, SurveyError
from surveys.questionnaires import QUESTION_TYPES, Definition, DefinitionError, parse_definition, template
from surveys.scales import SCALES
from surveys.tables import AUDIENCES, Questionnaire, QuestionnaireDraft, Session
from surveys.versions import definition_of, import_definition, latest_version

MAX_QUESTIONS = 60
KEY = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
# Placeholders a translation must keep: %(name)s and {name}.
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w*\}")


class BuilderError(SurveyError):
    """A change that can't be made; ``errors`` maps each field to what is wrong, for the lead."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


@dataclass(frozen=True)
class Draft:
    id: int
    initiative_id: int
    slug: str
    data: Mapping[str, Any]
    based_on: int | None
    updated_by: str
    updated_at: dt.datetime

    @property
    def title(self) -> str:
        return self.data.get("title", "")

    @property
    def audience(self) -> str:
        return self.data.get("audience", "")

    @property
    def questions(self) -> list[Mapping[str, Any]]:
        return list(self.data.get("questions", []))

    @property
    def definition(self) -> Definition | None:
        """The draft as a definition, or None while it has no question yet."""
        return parse_definition(self.data, source=self.slug) if self.questions else None


def _draft(row: Mapping[str, Any]) -> Draft:
    data = row["definition"]
    if isinstance(data, str):
        import json

        data = json.loads(data)
    return Draft(row["id"], row["initiative"], row["slug"], data, row["based_on"], row["updated_by"], row["updated_at"])


async def drafts_of(initiative_id: int) -> list[Draft]:
    rows = (
        await QuestionnaireDraft.select()
        .where(QuestionnaireDraft.initiative == initiative_id)
        .order_by(QuestionnaireDraft.id)
    )
    return [_draft(r) for r in rows]


async def get_draft(initiative_id: int, slug: str) -> Draft:
    row = (
        await QuestionnaireDraft.select()
        .where((QuestionnaireDraft.initiative == initiative_id) & (QuestionnaireDraft.slug == slug))
        .first()
    )
    if row is None:
        raise NotFound("No such draft")
    return _draft(row)


def template_title(slug: str) -> str:
    """A shipped questionnaire's title, for the list a lead starts from."""
    return template(slug).title


def slug_for(title: str) -> str:
    words = "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())
    return words[:60].strip("-") or "questionnaire"


async def _taken(initiative_id: int) -> set[str]:
    questionnaires = (
        await Questionnaire.select(Questionnaire.slug)
        .where(Questionnaire.initiative == initiative_id)
        .output(as_list=True)
    )
    drafts = (
        await QuestionnaireDraft.select(QuestionnaireDraft.slug)
        .where(QuestionnaireDraft.initiative == initiative_id)
        .output(as_list=True)
    )
    return set(questionnaires) | set(drafts)


async def _latest_raw(initiative_id: int, slug: str) -> tuple[dict, int]:
    row = (
        await Questionnaire.select()
        .where((Questionnaire.initiative == initiative_id) & (Questionnaire.slug == slug))
        .first()
    )
    if row is None:
        raise BuilderError({"start": "Choose a questionnaire of this initiative"})
    version = await latest_version(row["id"])
    assert version is not None  # a questionnaire has at least one version
    definition = await definition_of(version["id"], version["fingerprint"])
    return copy.deepcopy(dict(definition.raw)), version["number"]


async def start(initiative_id: int, *, title: str, audience: str, start_from: str = "blank", actor: str) -> Draft:
    """A new draft. ``start_from`` is "blank", "template:<slug>" (a pack's questionnaire),
    "copy:<slug>" (another questionnaire of this initiative, under a new name) or "edit:<slug>"
    (that questionnaire's latest version, to publish as its next version)."""
    title = " ".join(title.split())
    kind, _, source = start_from.partition(":")
    based_on = None
    if kind == "edit":
        try:
            return await get_draft(initiative_id, source)  # someone is already editing it
        except NotFound:
            pass
        data, based_on = await _latest_raw(initiative_id, source)
    else:
        errors = {}
        if not title:
            errors["title"] = "Enter a title for the questionnaire"
        elif len(title) > 200:
            errors["title"] = "The title must be 200 characters or fewer"
        if kind == "blank" and audience not in AUDIENCES:
            errors["audience"] = "Choose who will answer it"
        if kind not in ("blank", "template", "copy"):
            errors["start"] = "Choose how to start"
        if errors:
            raise BuilderError(errors)
        if kind == "blank":
            data = {"slug": "", "title": title, "audience": audience, "about": "", "minutes": 2, "questions": []}
        elif kind == "template":
            try:
                data = copy.deepcopy(dict(template(source).raw))
            except DefinitionError:
                raise BuilderError({"start": "Choose one of the questionnaires Heard ships"}) from None
        else:
            data, _ = await _latest_raw(initiative_id, source)
        data["title"] = title
        taken = await _taken(initiative_id)
        slug, n = slug_for(title), 2
        while slug in taken:
            slug, n = f"{slug_for(title)[:56]}-{n}", n + 1
        data["slug"] = slug
    await QuestionnaireDraft.insert(
        QuestionnaireDraft(
            initiative=initiative_id,
            slug=data["slug"],
            definition=data,
            based_on=based_on,
            updated_by=actor,
        )
    )
    await audit.record(
        "questionnaire draft started", actor=actor, initiative_id=initiative_id, detail=f"{data['slug']} ({start_from})"
    )
    return await get_draft(initiative_id, data["slug"])


def _check(data: Mapping[str, Any], slug: str) -> None:
    """Raise BuilderError unless ``data`` parses (a draft with no question yet is checked alone)."""
    try:
        if data.get("questions"):
            parse_definition(data, source=slug)
        else:
            parse_definition({**data, "questions": [{"key": "x", "type": "text", "text": "x"}]}, source=slug)
    except DefinitionError as e:
        raise BuilderError({"question" if e.question else "questionnaire": e.problem}) from None


async def _store(draft: Draft, data: dict, actor: str, what: str) -> Draft:
    _check(data, draft.slug)
    await QuestionnaireDraft.update(
        {
            QuestionnaireDraft.definition: data,
            QuestionnaireDraft.updated_by: actor,
            QuestionnaireDraft.updated_at: dt.datetime.now(dt.UTC),
        }
    ).where(QuestionnaireDraft.id == draft.id)
    await audit.record(
        "questionnaire edited", actor=actor, initiative_id=draft.initiative_id, detail=f"{draft.slug}: {what}"
    )
    return await get_draft(draft.initiative_id, draft.slug)


def key_for(text: str, taken: set[str]) -> str:
    words = "_".join("".join(c if c.isalnum() else " " for c in text.lower()).split()[:4])
    base = (words if words and words[0].isalpha() else f"q_{words}")[:40] or "question"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def check_question(question: Mapping[str, Any], others: list[Mapping[str, Any]]) -> dict[str, str]:
    """What is wrong with one question, by field, before the whole definition is parsed."""
    errors: dict[str, str] = {}
    kind = question.get("type")
    if kind not in QUESTION_TYPES:
        errors["type"] = "Choose a type of question"
        return errors
    if not str(question.get("text", "")).strip():
        errors["text"] = "Enter the question"
    key = question.get("key", "")
    if not KEY.match(key):
        errors["key"] = "The short name must start with a letter and use only a to z, 0 to 9 and _ (at most 48)"
    elif key in {q.get("key") for q in others}:
        errors["key"] = f"Another question already has the short name {key!r}: choose another"
    if kind in ("choice", "multi", "picture", "pair") and "scale" not in question:
        options = question.get("options") or []
        if len(options) < 2:
            errors["options"] = "Give at least two answers to choose from, one on each line"
        labels = [o["label"].casefold() if isinstance(o, Mapping) else str(o).casefold() for o in options]
        if len(set(labels)) != len(labels):
            errors["options"] = "Two answers are the same: each answer must be different"
    if "scale" in question and question["scale"] not in SCALES:
        errors["scale"] = "Choose a scale"
    if kind == "pair":
        for part, label in (("before", "before"), ("now", "now")):
            if not str(question.get(part, "")).strip():
                errors[part] = f"Enter how the question reads for '{label}'"
    if kind == "number":
        low, high = question.get("min"), question.get("max")
        if not isinstance(low, int) or isinstance(low, bool):
            errors["min"] = "Enter the smallest number allowed, as a whole number"
        if not isinstance(high, int) or isinstance(high, bool):
            errors["max"] = "Enter the largest number allowed, as a whole number"
        if (
            isinstance(low, int)
            and isinstance(high, int)
            and "min" not in errors
            and "max" not in errors
            and low >= high
        ):
            errors["min"] = "The smallest number must be less than the largest"
    return errors


async def save_question(draft: Draft, index: int | None, question: dict, *, actor: str) -> Draft:
    """Add ``question`` (``index`` None) or replace the one at ``index``, keeping its translations
    of what it still asks (an option's translation goes with the option)."""
    questions = draft.questions
    if index is not None and not 0 <= index < len(questions):
        raise NotFound("No such question")
    if index is None and len(questions) >= MAX_QUESTIONS:
        raise BuilderError({"question": f"A questionnaire can have at most {MAX_QUESTIONS} questions"})
    others = [q for i, q in enumerate(questions) if i != index]
    question = dict(question)
    if not question.get("key"):
        question["key"] = key_for(str(question.get("text", "")), {q["key"] for q in others if q.get("key")})
    errors = check_question(question, others)
    if errors:
        raise BuilderError(errors)
    if index is not None and questions[index].get("translations"):
        kept = _kept_translations(questions[index]["translations"], question)
        if kept:
            question["translations"] = kept
    data = copy.deepcopy(dict(draft.data))
    if index is None:
        data["questions"] = [*questions, question]
        what = f"question {question['key']} added"
    else:
        data["questions"] = [*questions[:index], question, *questions[index + 1 :]]
        what = f"question {question['key']} changed"
    return await _store(draft, data, actor, what)


def _kept_translations(translations: Mapping[str, Any], question: Mapping[str, Any]) -> dict:
    option_keys = {o.get("key") for o in question.get("options", []) if isinstance(o, Mapping)}
    kept = {}
    for lang, fields in translations.items():
        out = {k: v for k, v in fields.items() if k != "options" and (k in ("text", "help", "error") or k in question)}
        options = {k: v for k, v in fields.get("options", {}).items() if k in option_keys}
        if options:
            out["options"] = options
        if out:
            kept[lang] = out
    return kept


async def move_question(draft: Draft, index: int, delta: int, *, actor: str) -> Draft:
    questions = draft.questions
    target = index + delta
    if not 0 <= index < len(questions) or not 0 <= target < len(questions):
        raise NotFound("No such question")
    questions[index], questions[target] = questions[target], questions[index]
    data = {**copy.deepcopy(dict(draft.data)), "questions": questions}
    return await _store(
        draft, data, actor, f"question {questions[target]['key']} moved {'up' if delta < 0 else 'down'}"
    )


async def remove_question(draft: Draft, index: int, *, actor: str) -> Draft:
    questions = draft.questions
    if not 0 <= index < len(questions):
        raise NotFound("No such question")
    removed = questions.pop(index)
    data = {**copy.deepcopy(dict(draft.data)), "questions": questions}
    return await _store(draft, data, actor, f"question {removed['key']} removed")


async def save_details(draft: Draft, *, title: str, about: str, actor: str) -> Draft:
    title, about = " ".join(title.split()), " ".join(about.split())
    if not title:
        raise BuilderError({"title": "Enter a title for the questionnaire"})
    data = {**copy.deepcopy(dict(draft.data)), "title": title[:200], "about": about[:300]}
    return await _store(draft, data, actor, "title and description changed")


# -- translations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TranslationRow:
    path: str  # "title", "about", "q.<key>.text", "q.<key>.options.<option key>", …
    label: str  # what it is, for the lead: "Question 2: help text"
    english: str
    translated: str


def translation_rows(draft: Draft, lang: str) -> list[TranslationRow]:
    """Everything in the draft that can be translated into ``lang``, with what is there now.

    Scale answers ("Yes", "Partly") come from Heard's own message catalogs, already translated,
    so only a questionnaire's own answers are listed."""
    data = draft.data
    top = data.get("translations", {}).get(lang, {})
    rows = [TranslationRow("title", "Title", data.get("title", ""), top.get("title", ""))]
    if data.get("about"):
        rows.append(TranslationRow("about", "What it is about", data["about"], top.get("about", "")))
    for n, q in enumerate(draft.questions, start=1):
        mine = q.get("translations", {}).get(lang, {})
        parts = [
            ("text", "question"),
            ("help", "help text"),
            ("before", "'before' wording"),
            ("now", "'now' wording"),
            ("error", "message when it is not answered"),
        ]
        for field, what in parts:
            if q.get(field):
                rows.append(
                    TranslationRow(f"q.{q['key']}.{field}", f"Question {n}: {what}", q[field], mine.get(field, ""))
                )
        if "scale" not in q:
            for o in q.get("options", []):
                option = o if isinstance(o, Mapping) else {"label": o}
                okey = option.get("key") or _option_key(option["label"])
                rows.append(
                    TranslationRow(
                        f"q.{q['key']}.options.{okey}",
                        f"Question {n}: answer",
                        option["label"],
                        mine.get("options", {}).get(okey, ""),
                    )
                )
    return rows


def _option_key(label: str) -> str:
    return "_".join("".join(c if c.isalnum() else " " for c in label.lower()).split())[:64] or "option"


def missing(rows: list[TranslationRow]) -> int:
    return sum(1 for r in rows if not r.translated.strip())


def placeholders_match(english: str, translated: str) -> bool:
    """A translation keeps every placeholder of the English (%(name)s, {name}), and its braces
    and brackets balance."""
    if Counter(PLACEHOLDER.findall(english)) != Counter(PLACEHOLDER.findall(translated)):
        return False
    return all(translated.count(a) == translated.count(b) for a, b in ("{}", "()", "[]"))


async def save_translations(draft: Draft, lang: str, values: Mapping[str, str], *, actor: str) -> Draft:
    """Set ``lang``'s translations from ``values`` (path → text); an empty box removes one, so
    that text falls back to English on the respondent page."""
    if not (2 <= len(lang) <= 8 and lang.isalpha()) or lang == "en":
        raise NotFound("No such language")
    rows = {r.path: r for r in translation_rows(draft, lang)}
    errors = {}
    for path, text in values.items():
        row = rows.get(path)
        if row is None:
            continue
        text = " ".join(str(text).split())
        if text and not placeholders_match(row.english, text):
            errors[path] = (
                f"Keep the placeholders of the English exactly ({', '.join(PLACEHOLDER.findall(row.english)) or 'none'}) and balance any brackets"
            )
        if len(text) > 500:
            errors[path] = "A translation must be 500 characters or fewer"
    if errors:
        raise BuilderError(errors)
    data = copy.deepcopy(dict(draft.data))
    top = {k: v for k, v in data.get("translations", {}).get(lang, {}).items() if k not in ("title", "about")}
    for field in ("title", "about"):
        text = " ".join(str(values.get(field, rows[field].translated if field in rows else "")).split())
        if text:
            top[field] = text
    _set_language(data, lang, top)
    for q in data.get("questions", []):
        fields = {
            k: v
            for k, v in q.get("translations", {}).get(lang, {}).items()
            if k not in ("text", "help", "before", "now", "error", "options")
        }
        options = {}
        for path, row in rows.items():
            prefix = f"q.{q['key']}."
            if not path.startswith(prefix):
                continue
            text = " ".join(str(values.get(path, row.translated)).split())
            if not text:
                continue
            rest = path[len(prefix) :]
            if rest.startswith("options."):
                options[rest[len("options.") :]] = text
            else:
                fields[rest] = text
        if options:
            fields["options"] = options
        _set_language(q, lang, fields)
    done = sum(1 for path in rows if " ".join(str(values.get(path, rows[path].translated)).split()))
    return await _store(draft, data, actor, f"{lang} translations saved ({done} of {len(rows)} texts)")


def _set_language(holder: dict, lang: str, fields: dict) -> None:
    translations = dict(holder.get("translations", {}))
    if fields:
        translations[lang] = fields
    else:
        translations.pop(lang, None)
    if translations:
        holder["translations"] = translations
    else:
        holder.pop("translations", None)


# -- publishing ---------------------------------------------------------------------------------


async def open_sessions(initiative_id: int, slug: str) -> list[dict]:
    """The sessions of questionnaire ``slug`` still taking answers (not closed)."""
    now = dt.datetime.now(dt.UTC)
    rows = await Session.select(Session.id, Session.token, Session.closes_at).where(
        (Session.initiative == initiative_id) & (Session.questionnaire_version._.questionnaire._.slug == slug)
    )
    return [r for r in rows if r["closes_at"] is None or r["closes_at"] > now]


async def publish(draft: Draft, *, actor: str, move_open_sessions: bool = False) -> tuple[dict, bool, int]:
    """Publish the draft as the questionnaire's next version, exactly as an import of the same
    file would: ``(version, whether it is new, sessions moved)``. Open sessions move to the new
    version only when asked; the draft is gone afterwards."""
    if not draft.questions:
        raise BuilderError({"question": "Add at least one question before publishing"})
    try:
        definition = parse_definition(draft.data, source=draft.slug)
        version, created = await import_definition(draft.initiative_id, definition, source=draft.slug)
    except DefinitionError as e:
        raise BuilderError({"question" if e.question else "questionnaire": e.problem}) from None
    moved = 0
    if move_open_sessions and created:
        ids = [s["id"] for s in await open_sessions(draft.initiative_id, draft.slug)]
        if ids:
            await Session.update({Session.questionnaire_version: version["id"]}).where(Session.id.is_in(ids))
            moved = len(ids)
    await QuestionnaireDraft.delete().where(QuestionnaireDraft.id == draft.id)
    await audit.record(
        "questionnaire published",
        actor=actor,
        initiative_id=draft.initiative_id,
        detail=f"{draft.slug} version {version['number']}"
        + ("" if created else " (unchanged)")
        + (f"; {moved} open session(s) moved to it" if moved else ""),
    )
    return version, created, moved


async def discard(draft: Draft, *, actor: str) -> None:
    await QuestionnaireDraft.delete().where(QuestionnaireDraft.id == draft.id)
    await audit.record(
        "questionnaire draft discarded", actor=actor, initiative_id=draft.initiative_id, detail=draft.slug
    )


__all__ = [
    "BuilderError",
    "Draft",
    "TranslationRow",
    "check_question",
    "discard",
    "drafts_of",
    "get_draft",
    "missing",
    "move_question",
    "open_sessions",
    "publish",
    "remove_question",
    "save_details",
    "save_question",
    "save_translations",
    "start",
    "translation_rows",
]
