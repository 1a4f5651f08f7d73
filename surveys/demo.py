"""Demo data: sessions for each initiative and plausible, made-up responses.

Nothing here is about real people. The free text is written to read like what parents and
children say, so the lead pages and exports look as they will in use.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

from surveys.initiatives import ensure_from_packs
from surveys.questionnaires import Definition, Page
from surveys.responses import to_the_hour
from surveys.sessions import create_session
from surveys.tables import Answer, Response, Session
from surveys.versions import definition_of, latest_version, questionnaires_of

# The demo is the three Dundee initiatives Heard was built with, each made from the shipped pack
# of the same name (surveys/packs/).
DEMO_PACKS = ("art-at-the-start", "cmhwf", "anew")


async def ensure_demo_initiatives() -> dict[str, dict]:
    """Make the demo's three initiatives from their packs if missing (idempotent), by slug."""
    return await ensure_from_packs(DEMO_PACKS)


DEMO_TEXTS = {
    "parent": [
        "It felt good not to be interrupted.",
        "More time to talk before the meeting.",
        "Knowing who would be there beforehand.",
        "Everyone listened to what I had to say.",
        "A quieter room would have helped.",
        "The staff were lovely and made us feel welcome.",
        "Doing the painting together at home now.",
        "Seeing her so happy with the paint.",
        "",
    ],
    "child": ["Playing with my friends.", "Talking to my worker.", "The drawing.", ""],
}

# How likely each position in an ordered scale is, best answers first (made up, skewed positive).
WEIGHTS = [0.62, 0.22, 0.1, 0.04, 0.02]


def _pick(rng: random.Random, page: Page) -> str:
    q = page.question
    if q.type == "text":
        return rng.choice(DEMO_TEXTS["child" if q.faces else "parent"])
    options = list(q.options)
    ordered = [o for o in options if not o.aside]
    aside = [o for o in options if o.aside]
    if aside and rng.random() < 0.04:
        return aside[0].key
    best_first = sorted(ordered, key=lambda o: -(o.value or 0))
    weights = WEIGHTS[: len(best_first)]
    choice = rng.choices(best_first, weights=weights)[0]
    if page.answer_key.endswith(".before"):
        # Before the sessions people were less sure; shift down one or two steps.
        lower = [o for o in best_first if (o.value or 0) <= (choice.value or 0) - 1]
        choice = lower[min(len(lower) - 1, rng.randint(0, 1))] if lower else choice
    return choice.key


async def ensure_demo_sessions() -> dict[str, dict]:
    """One open session per initiative's default questionnaire (reused if already there)."""
    initiatives = await ensure_demo_initiatives()
    sessions = {}
    for slug, initiative in initiatives.items():
        questionnaire = (await questionnaires_of(initiative["id"]))[0]
        version = await latest_version(questionnaire["id"])
        assert version is not None  # a questionnaire has at least one version
        existing = await Session.select().where(
            (Session.initiative == initiative["id"]) & (Session.questionnaire_version == version["id"])
        ).first()
        if existing is None:
            existing = await create_session(
                initiative["id"],
                version["id"],
                audience=questionnaire["audience"],
                phase="after" if questionnaire["audience"] == "parent" else "single",
                site="Demo site",
                held_on=dt.date.today(),
            )
        sessions[slug] = existing
    return sessions


async def generate_responses(per_initiative: int, *, seed: int = 2026, batch: int = 500) -> int:
    """Add ``per_initiative`` made-up responses to each demo session; return how many in all."""
    sessions = await ensure_demo_sessions()
    rng = random.Random(seed)  # nosec B311 # Made-up demo answers, reproducible on purpose; not security
    total = 0
    now = dt.datetime.now(dt.UTC)
    for session in sessions.values():
        definition: Definition = await definition_of(session["questionnaire_version"])
        for start in range(0, per_initiative, batch):
            n = min(batch, per_initiative - start)
            async with Response._meta.db.transaction():
                ids = await Response.insert(
                    *(
                        Response(
                            initiative=session["initiative"],
                            session=session["id"],
                            questionnaire_version=session["questionnaire_version"],
                            submission_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                            language="en",
                            submitted_hour=to_the_hour(now - dt.timedelta(hours=rng.randint(1, 24 * 90))),
                            way="tablet" if session["audience"] == "child" else "phone",
                        )
                        for _ in range(n)
                    )
                )
                answers = []
                for row in ids:
                    for page in definition.pages:
                        key = _pick(rng, page)
                        if not key:
                            continue
                        if page.question.type == "text":
                            answers.append(
                                Answer(response=row["id"], question_key=page.answer_key, text=key,
                                       quote_consent=rng.random() < 0.7)
                            )
                        else:
                            option = page.question.option(key)
                            assert option is not None  # _pick chose one of its options
                            answers.append(
                                Answer(response=row["id"], question_key=page.answer_key,
                                       option_key=option.key, value=option.value)
                            )
                for i in range(0, len(answers), 2000):
                    await Answer.insert(*answers[i : i + 2000])
            total += n
    return total
