"""The answer scales questions can use, with their stored numeric codings.

Ordered options carry a ``value`` (1 = lowest), stored beside the option key so before/after
statistics are plain arithmetic. "Not sure" and "I don't want to say" are *aside* options: always
offered where they make sense, stored, and reported separately rather than dropped or scored.

Labels are English source strings; the web layer translates them through the message catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark a string for translation without translating it here (Babel extracts ``N_``)."""
    return message


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    value: int | None = None
    aside: bool = False  # "not sure", "I don't want to say": shown apart, never scored
    picture: str | None = None  # a file in frontend/static (faces, pictures)
    # A scale's label is translated by the message catalogs; a questionnaire's own option label
    # by the questionnaire's ``translations`` table.
    from_scale: bool = True


@dataclass(frozen=True)
class Scale:
    key: str
    options: tuple[Option, ...]
    top: tuple[str, ...]  # the answers a headline counts ("felt listened to" = yes)
    faces: bool = False

    @property
    def ordered(self) -> tuple[Option, ...]:
        return tuple(o for o in self.options if not o.aside)


NOT_SURE = Option("not_sure", N_("Not sure"), aside=True)
RATHER_NOT = Option("rather_not_say", N_("I don't want to say"), aside=True)


def _scale(key: str, labels: list[tuple[str, str]], top: tuple[str, ...], *, aside=(NOT_SURE,), faces=False,
           pictures: list[str] | None = None, descending: bool = False) -> Scale:
    """Build a scale from options listed lowest first; ``descending`` shows the highest first."""
    options = [
        Option(k, label, value=i + 1, picture=pictures[i] if pictures else None)
        for i, (k, label) in enumerate(labels)
    ]
    if descending:
        options.reverse()
    return Scale(key, tuple(options) + tuple(aside), top, faces=faces)


SCALES: dict[str, Scale] = {
    s.key: s
    for s in (
        _scale("yes_partly_no", [("no", N_("No")), ("partly", N_("Partly")), ("yes", N_("Yes"))], ("yes",),
               descending=True),
        _scale("yes_no", [("no", N_("No")), ("yes", N_("Yes"))], ("yes",), descending=True),
        _scale(
            "agree5",
            [
                ("strongly_disagree", N_("Strongly disagree")),
                ("disagree", N_("Disagree")),
                ("neither", N_("Neither agree nor disagree")),
                ("agree", N_("Agree")),
                ("strongly_agree", N_("Strongly agree")),
            ],
            ("agree", "strongly_agree"),
            descending=True,
        ),
        _scale(
            "agree4",
            [
                ("strongly_disagree", N_("Strongly disagree")),
                ("disagree", N_("Disagree")),
                ("agree", N_("Agree")),
                ("strongly_agree", N_("Strongly agree")),
            ],
            ("agree", "strongly_agree"),
            descending=True,
        ),
        _scale(
            "confidence5",
            [
                ("not_at_all", N_("Not at all confident")),
                ("a_little", N_("A little confident")),
                ("fairly", N_("Fairly confident")),
                ("very", N_("Very confident")),
                ("extremely", N_("Extremely confident")),
            ],
            ("very", "extremely"),
            descending=True,
        ),
        _scale(
            "quality5",
            [
                ("poor", N_("Poor")),
                ("fair", N_("Fair")),
                ("good", N_("Good")),
                ("very_good", N_("Very good")),
                ("excellent", N_("Excellent")),
            ],
            ("very_good", "excellent"),
            descending=True,
        ),
        _scale(
            "frequency5",
            [
                ("never", N_("Never")),
                ("rarely", N_("Rarely")),
                ("sometimes", N_("Sometimes")),
                ("often", N_("Often")),
                ("always", N_("Always")),
            ],
            ("often", "always"),
            descending=True,
        ),
        _scale(
            "faces3",
            [("sad", N_("Sad")), ("ok", N_("OK")), ("happy", N_("Happy"))],
            ("happy",),
            aside=(RATHER_NOT,),
            faces=True,
            pictures=["faces/face3-1.svg", "faces/face3-2.svg", "faces/face3-3.svg"],
        ),
        _scale(
            "faces5",
            [
                ("awful", N_("Awful")),
                ("not_very_good", N_("Not very good")),
                ("ok", N_("OK")),
                ("really_good", N_("Really good")),
                ("brilliant", N_("Brilliant")),
            ],
            ("really_good", "brilliant"),
            aside=(RATHER_NOT,),
            faces=True,
            pictures=[f"faces/face-{i}.svg" for i in range(1, 6)],
        ),
    )
}
