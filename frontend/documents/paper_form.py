"""The paper questionnaire of a session, for people who answer on paper (A4 PDF and print HTML).

One *sheet* is one person's questionnaire; it may run to more than one page. Every page carries
the session's code and the sheet's number ("ABCD-EFGH-JKLM-N / 7, page 2"), so pages that come
apart can be put back together and a sheet can't be typed in twice (surveys/paper.py). Questions
are printed in the sheet's language where the questionnaire has it (the scales' own labels come
from the message catalogs), with large tick boxes; children's questionnaires print their faces
large, each with its word under it. Arabic and Urdu are shaped by HarfBuzz (fpdf2's text shaping)
in Noto Naskh Arabic, a font that has their letters, and run right to left.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from frontend import FONTS, STATIC
from frontend.core.i18n import Language
from surveys import tokens
from surveys.privacy import PrivacyNotice
from surveys.sessions import OpenSession

# The few words of the sheet itself, in each language Heard offers (the questions come from the
# questionnaire). Kept here with the layout rather than in the web catalogs: they print.
WORDS = {
    "en": {
        "one": "Tick one box for each question.",
        "all": "Tick all that apply.",
        "write": "Write your answer in the box. Please don't write any names.",
        "code": "Participant code (only if you were given one)",
        "sheet": "Sheet",
        "page": "page",
        "privacy": "Don't write your name on this sheet. Your answers are counted together with other "
        "people's and kept for {months} months. Ask the staff for the full privacy notice.",
        "thanks": "Thank you. Please hand this sheet back.",
    },
    "pl": {
        "one": "Zaznacz jedno pole przy każdym pytaniu.",
        "all": "Zaznacz wszystkie pasujące odpowiedzi.",
        "write": "Wpisz odpowiedź w ramce. Prosimy nie wpisywać imion ani nazwisk.",
        "code": "Kod uczestnika (tylko jeśli go otrzymano)",
        "sheet": "Arkusz",
        "page": "strona",
        "privacy": "Nie wpisuj na tym arkuszu swojego imienia i nazwiska. Twoje odpowiedzi liczymy razem "
        "z odpowiedziami innych osób i przechowujemy przez {months} mies. Pełną informację o "
        "prywatności otrzymasz od personelu.",
        "thanks": "Dziękujemy. Prosimy oddać ten arkusz.",
    },
    "uk": {
        "one": "Позначте одну клітинку для кожного запитання.",
        "all": "Позначте все, що підходить.",
        "write": "Напишіть відповідь у рамці. Будь ласка, не пишіть жодних імен.",
        "code": "Код учасника (лише якщо вам його дали)",
        "sheet": "Аркуш",
        "page": "сторінка",
        "privacy": "Не пишіть свого імені на цьому аркуші. Ваші відповіді рахуються разом з відповідями "
        "інших людей і зберігаються {months} міс. Повне повідомлення про конфіденційність можна "
        "отримати в персоналу.",
        "thanks": "Дякуємо. Будь ласка, поверніть цей аркуш.",
    },
    "ar": {
        "one": "ضع علامة في مربع واحد لكل سؤال.",
        "all": "ضع علامة على كل ما ينطبق.",
        "write": "اكتب إجابتك في المربع. من فضلك لا تكتب أي أسماء.",
        "code": "رمز المشارك (فقط إن أُعطي لك)",
        "sheet": "الورقة",
        "page": "صفحة",
        "privacy": "لا تكتب اسمك على هذه الورقة. تُحسب إجاباتك مع إجابات الآخرين وتُحفظ لمدة {months} "
        "شهرًا. اطلب من الموظفين إشعار الخصوصية الكامل.",
        "thanks": "شكرًا لك. يُرجى إعادة هذه الورقة.",
    },
    "ur": {
        "one": "ہر سوال کے لیے ایک خانے پر نشان لگائیں۔",
        "all": "جو بھی لاگو ہو ان سب پر نشان لگائیں۔",
        "write": "اپنا جواب خانے میں لکھیں۔ براہ کرم کوئی نام نہ لکھیں۔",
        "code": "شرکت کنندہ کوڈ (صرف اگر آپ کو دیا گیا ہو)",
        "sheet": "شیٹ",
        "page": "صفحہ",
        "privacy": "اس شیٹ پر اپنا نام نہ لکھیں۔ آپ کے جوابات دوسروں کے جوابات کے ساتھ ملا کر گنے جاتے "
        "ہیں اور {months} ماہ تک رکھے جاتے ہیں۔ مکمل رازداری نوٹس عملے سے مانگیں۔",
        "thanks": "شکریہ۔ براہ کرم یہ شیٹ واپس کر دیں۔",
    },
}
CONSENT = "You can use my words in your reports, without my name"  # in the respondent catalogs


@dataclass(frozen=True)
class Choice:
    number: int
    label: str
    picture: str = ""  # "faces/face-1.svg" for a children's face


@dataclass(frozen=True)
class PaperQuestion:
    number: int
    key: str
    text: str
    kind: str  # "one", "all", "text", "number"
    choices: tuple[Choice, ...] = ()
    faces: bool = False
    consent: bool = False
    unit: str = ""


@dataclass(frozen=True)
class PaperForm:
    token: str
    initiative_name: str
    title: str
    about: str
    site: str
    held_on: dt.date | None
    language: Language
    questions: tuple[PaperQuestion, ...]
    sheets: tuple[int, ...]
    words: dict
    privacy: str
    consent: str

    @property
    def rtl(self) -> bool:
        return self.language.direction == "rtl"

    def reference(self, sheet: int) -> str:
        return f"{tokens.display(self.token)} / {sheet}"

    @property
    def place(self) -> str:
        when = self.language.date(self.held_on) if self.held_on else ""
        return " · ".join(part for part in (self.site.strip(), when) if part)


def build(
    session: OpenSession, language: Language, sheets, *, notice: PrivacyNotice, held_on: dt.date | None = None
) -> PaperForm:
    code = language.code
    words = WORDS.get(code, WORDS["en"])
    definition = session.definition
    questions = []
    for number, page in enumerate(definition.pages, start=1):
        q = page.question
        kind = {"multi": "all", "text": "text", "number": "number"}.get(q.type, "one")
        choices = []
        for i, o in enumerate(q.options, start=1):
            own = q.option_label_in(o, code)
            label = own[0] if own else language.gettext(o.label)
            choices.append(Choice(i, label, (o.picture or "") if q.faces or q.type == "picture" else ""))
        questions.append(
            PaperQuestion(
                number,
                page.answer_key,
                page.text_in(code)[0],
                kind,
                tuple(choices),
                faces=bool(q.faces),
                consent=q.quote_consent,
                unit=q.unit,
            )
        )
    return PaperForm(
        token=session.token,
        initiative_name=session.initiative_name,
        title=definition.title_in(code)[0],
        about=definition.about_in(code)[0],
        site=session.site,
        held_on=held_on,
        language=language,
        questions=tuple(questions),
        sheets=tuple(sheets),
        words=words,
        privacy=words["privacy"].format(months=notice.retention_months),
        consent=language.gettext(CONSENT),
    )


# --- PDF -------------------------------------------------------------------------------------

_FONTS = {
    ("Sans", ""): FONTS / "DejaVuSans-subset.ttf",
    ("Sans", "B"): FONTS / "DejaVuSans-Bold-subset.ttf",
    ("Naskh", ""): FONTS / "NotoNaskhArabic-Regular.ttf",
    ("Naskh", "B"): FONTS / "NotoNaskhArabic-Bold.ttf",
}
MARGIN = 16
BOX = 7  # a tick box, in millimetres: big enough for a shaky tick
FACE = 24


class _Sheets(FPDF):
    reference_text = ""
    first_page = 1
    main_family: str  # set by pdf() before the first page
    page_word: str

    def footer(self) -> None:
        self.set_xy(MARGIN, self.h - 12)
        self.set_font(self.main_family, "", 10)
        page = self.page_no() - self.first_page + 1
        self.cell(self.w - 2 * MARGIN, 5, f"{self.reference_text} · {self.page_word} {page}", align="C")


def pdf(form: PaperForm) -> bytes:
    doc = _Sheets(orientation="portrait", unit="mm", format="A4")
    doc.set_auto_page_break(False)
    doc.set_margins(MARGIN, MARGIN, MARGIN)
    for (family, style), path in _FONTS.items():
        doc.add_font(family, style, path)
    doc.main_family = "Naskh" if form.rtl else "Sans"
    doc.set_fallback_fonts(["Sans"] if form.rtl else ["Naskh"])
    doc.set_text_shaping(True)
    doc.page_word = form.words["page"]
    doc.set_title(f"{form.initiative_name}: {form.title}")
    doc.set_lang(form.language.code)
    doc.set_creator("Heard")
    for sheet in form.sheets:
        doc.reference_text = form.reference(sheet)
        _sheet(doc, form, sheet)
    return bytes(doc.output())


def _write(
    doc: _Sheets,
    text: str,
    size: float,
    *,
    bold: bool = False,
    x: float | None = None,
    width: float | None = None,
    gap: float = 2,
) -> None:
    doc.set_font(doc.main_family, "B" if bold else "", size)
    x = MARGIN if x is None else x
    width = doc.w - x - MARGIN if width is None else width
    doc.set_x(x)
    doc.multi_cell(
        width, size * 0.45, text, align="R" if doc.main_family == "Naskh" else "L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    doc.set_y(doc.get_y() + gap)


def _height(doc: _Sheets, text: str, size: float, width: float, bold: bool = False) -> float:
    doc.set_font(doc.main_family, "B" if bold else "", size)
    lines = cast(list[str], doc.multi_cell(width, size * 0.45, text, dry_run=True, output="LINES"))
    return len(lines) * size * 0.45


def _room(doc: _Sheets, needed: float) -> None:
    if doc.get_y() + needed > doc.h - 20:
        doc.add_page()
        doc.set_y(MARGIN)


def _sheet(doc: _Sheets, form: PaperForm, sheet: int) -> None:
    doc.add_page()
    doc.first_page = doc.page_no()
    width = doc.w - 2 * MARGIN
    rtl = form.rtl
    doc.set_y(MARGIN)
    _write(doc, form.initiative_name, 13, bold=True, gap=1)
    _write(doc, form.title, 18, bold=True, gap=1)
    if form.place:
        _write(doc, form.place, 11, gap=1)
    _write(doc, f"{form.words['sheet']} {sheet}", 11, bold=True, gap=3)
    _write(doc, form.privacy, 10, gap=4)
    for q in form.questions:
        question_height = _height(doc, f"{q.number}. {q.text}", 13, width, True) + 4
        if q.kind == "text":
            body = 45 + (BOX + 4 if q.consent else 0) + 6
        elif q.kind == "number":
            body = BOX + 8
        elif q.faces:
            body = FACE + 14
        else:
            body = len(q.choices) * (BOX + 3) + 8
        _room(doc, question_height + body)
        _write(doc, f"{q.number}. {q.text}", 13, bold=True, gap=1)
        hint = form.words.get(q.kind if q.kind in ("one", "all") else "write" if q.kind == "text" else "", "")
        if hint and not q.faces:
            _write(doc, hint, 9, gap=1)
        y = doc.get_y()
        if q.kind == "text":
            doc.rect(MARGIN, y, width, 45)
            y += 49
            if q.consent:
                bx = doc.w - MARGIN - BOX if rtl else MARGIN
                doc.rect(bx, y, BOX, BOX)
                doc.set_y(y + 0.5)
                _write(doc, form.consent, 11, x=MARGIN if rtl else MARGIN + BOX + 3, width=width - BOX - 3, gap=0)
                y += BOX + 4
            doc.set_y(y + 2)
        elif q.kind == "number":
            bx = doc.w - MARGIN - 30 if rtl else MARGIN
            doc.rect(bx, y, 30, BOX + 2)
            if q.unit:
                doc.set_y(y + 1.5)
                _write(doc, q.unit, 11, x=MARGIN if rtl else MARGIN + 34, width=width - 34, gap=0)
            doc.set_y(y + BOX + 6)
        elif q.faces:
            step = min(FACE + 12, width / max(len(q.choices), 1))
            for i, c in enumerate(q.choices):
                x = (doc.w - MARGIN - step * (i + 1)) if rtl else MARGIN + step * i
                if c.picture:
                    doc.image(str(STATIC / c.picture), x=x + (step - FACE) / 2, y=y, w=FACE, h=FACE)
                doc.rect(x + (step - BOX) / 2, y + FACE + 1, BOX, BOX)
                doc.set_font(doc.main_family, "", 9)
                doc.set_xy(x, y + FACE + BOX + 2)
                doc.multi_cell(step, 4, c.label, align="C")
            doc.set_y(y + FACE + BOX + 12)
        else:
            for c in q.choices:
                bx = doc.w - MARGIN - BOX if rtl else MARGIN
                doc.rect(bx, y, BOX, BOX)
                doc.set_y(y + 1)
                _write(doc, c.label, 12, x=MARGIN if rtl else MARGIN + BOX + 3, width=width - BOX - 3, gap=0)
                y = max(doc.get_y(), y + BOX) + 3
            doc.set_y(y + 3)
    _room(doc, 30)
    _write(doc, form.words["code"], 11, gap=1)
    y = doc.get_y()
    boxes = [0, 1, 2, 3, None, 4, 5, 6, 7, None, 8]  # ABCD-2345-X
    x = MARGIN
    for slot in boxes:
        if slot is None:
            doc.set_font("Sans", "", 12)
            doc.set_xy(x, y + 1)
            doc.cell(4, BOX - 2, "-", align="C")
            x += 4
            continue
        doc.rect(x, y, BOX, BOX + 1)
        x += BOX + 1
    doc.set_y(y + BOX + 6)
    _write(doc, form.words["thanks"], 12, bold=True, gap=0)
