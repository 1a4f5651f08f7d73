"""Demo practitioner records, so the reach page of a fresh demo shows what partners will see.

Made up, like the rest of the demo: meetings at numbered schools, sessions at numbered nurseries,
logs from the placeholder delivery partners. Added once, only when there are none yet.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

from surveys.practitioners import partners_of
from surveys.responses import submit
from surveys.sessions import create_session, open_session
from surveys.tables import Questionnaire, Response
from surveys.versions import latest_version


def _anew(rng: random.Random, _partners) -> dict:
    views = rng.choices(["in_person", "buddy_or_worker", "writing_or_drawing", "not_heard"], [5, 3, 2, 3])[0]
    return {"views_heard": views, "views_first": rng.choice(["yes", "yes", "no"]),
            "actions_written": rng.choice(["yes", "yes", "no"]), "actions_home": rng.choice(["yes", "no", "not_sure"])}


def _art(rng: random.Random, _partners) -> dict:
    parents = rng.randint(3, 7)
    return {"parents_carers": str(parents), "children": str(parents + rng.randint(0, 2)),
            "stayed": rng.choice(["mostly", "mostly", "sometimes", "rarely"]),
            "tuning_in": rng.choice(["often", "often", "sometimes", "not_today"])}


def _cmhwf(rng: random.Random, partners) -> dict:
    return {"organisation": rng.choice(partners).option_key, "seen": str(rng.randint(1, 15)),
            "new_or_returning": rng.choice(["new", "returning", "both"]),
            "came_through": rng.sample(["self", "school", "family", "other_service"], rng.randint(1, 2))}


# initiative: (site names, records per site, answers)
PLAN = {
    "anew": ([f"Primary school {i}" for i in range(1, 11)], 4, _anew),
    "art-at-the-start": ([f"Nursery {i}" for i in range(1, 13)], 1, _art),
    "cmhwf": ([""], 60, _cmhwf),
}


async def ensure_practitioner_demo(initiatives: dict[str, dict], *, seed: int = 2026) -> int:
    """Add demo practitioner sessions and records to each initiative that has none; return how many."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    added = 0
    for slug, (sites, per_site, answers) in PLAN.items():
        initiative = initiatives[slug]
        q = await Questionnaire.select().where(
            (Questionnaire.initiative == initiative["id"]) & (Questionnaire.audience == "practitioner")
        ).first()
        if q is None or await Response.exists().where(Response.questionnaire_version.questionnaire == q["id"]):
            continue
        version = await latest_version(q["id"])
        assert version is not None  # a questionnaire has at least one version
        partners = await partners_of(initiative["id"])
        for i, site in enumerate(sites):
            held = None if not site else (now - dt.timedelta(days=7 * (len(sites) - i))).date()
            row = await create_session(initiative["id"], version["id"], audience="practitioner", site=site,
                                       held_on=held)
            session = await open_session(row["token"])
            for _ in range(per_site):
                when = now - dt.timedelta(days=rng.randint(0, 80), hours=rng.randint(0, 23))
                await submit(session, uuid.uuid4(), answers(rng, partners),
                             now=when)
                added += 1
    return added
