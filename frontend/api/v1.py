"""The JSON API (``/api/v1``): what the kiosk's offline queue and other programs talk to.

Errors come back as problem details (see :mod:`frontend.core.errors`), with ``errors`` naming each
field that is wrong.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Literal

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, JSONBody

from frontend.core import access
from frontend.core.i18n import SUPPORTED
from surveys.sessions import open_session
from surveys.submissions import take

API_BODY_LIMIT = 64 * 1024


@dataclass
class OptionOut:
    key: str
    label: str
    value: int | None
    aside: bool


@dataclass
class QuestionOut:
    key: str
    type: str
    text: str
    help: str
    required: bool
    options: list[OptionOut]


@dataclass
class SessionOut:
    token: str
    initiative: str
    title: str
    audience: str
    phase: str
    questions: list[QuestionOut]


class SubmissionIn(msgspec.Struct, forbid_unknown_fields=True):
    """One person's answers. A field Heard does not know is refused (400, naming it), never ignored:
    a misspelt ``participant_code`` must not quietly store an answer without its pseudonym."""

    submission_id: uuid.UUID
    answers: dict[str, str | list[str]]
    language: str = "en"
    # Optional: a participant code (ABCD-2345-X) or picture code (pic:cat-sun-boat). Only its
    # keyed pseudonym is stored; a code whose check character is wrong is refused (422).
    participant_code: str | None = None
    # How the answers were given: the children's tablet (the kiosk, this API's own client) or a
    # phone or browser form. Paper sheets go in only through the lead's entry screen.
    way: Literal["tablet", "phone"] = "tablet"


@dataclass
class SubmissionOut:
    submission_id: uuid.UUID
    status: str = "stored"
    replayed: bool = False
    links: dict[str, str] = field(default_factory=dict)


class SessionsAPI(Controller):
    path = "/api/v1/sessions"
    tags = ["Respondents"]
    request_max_body_size = API_BODY_LIMIT
    opt = access.respondent()  # no account: the session token in the path is the scope

    @get("/{token:str}", summary="A session's questionnaire")
    async def session(self, token: FromPath[str]) -> SessionOut:
        session = await open_session(token)
        return SessionOut(
            token=session.token,
            initiative=session.initiative_slug,
            title=session.definition.title,
            audience=session.audience,
            phase=session.phase,
            questions=[
                QuestionOut(
                    key=p.answer_key,
                    type=p.question.type if p.question.type != "pair" else "choice",
                    text=p.text,
                    help=p.question.help,
                    required=p.question.required,
                    options=[OptionOut(o.key, o.label, o.value, o.aside) for o in p.question.options],
                )
                for p in session.definition.pages
            ],
        )

    @post(
        "/{token:str}/responses",
        summary="Submit one person's answers (idempotent by submission_id)",
        description=(
            "Retrying with the same submission_id and the same answers returns the same success and stores "
            "nothing twice. The same submission_id with different answers is refused (409 problem): the "
            "answers stored first are kept and the new ones are not stored."
        ),
        status_code=201,
    )
    async def submit_response(self, request: Request, token: FromPath[str], data: JSONBody[SubmissionIn]) -> Response[SubmissionOut]:
        session = await open_session(token)
        receipt = await take(
            session,
            data.submission_id,
            data.answers,
            language=data.language if data.language in SUPPORTED else "en",
            way=data.way,
            participant_code=data.participant_code,
            text_filter_for=request.app.state.text_filter_for,
            # Themes and sentiment are worked out after the answers are stored, in batches.
            after_store=request.app.state.theming.add,
        )
        return Response(
            SubmissionOut(submission_id=receipt.submission_id, replayed=receipt.replayed),
            status_code=201,
            headers={"Idempotent-Replayed": "true" if receipt.replayed else "false"},
        )
