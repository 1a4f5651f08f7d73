"""A lead sets up before anyone answers: questionnaires in and out, sessions, QR codes and print.

All over HTTP through the lead pages, as a lead's browser would: the QR codes are read back with
a real decoder (zxing-cpp) and the PDFs opened with pypdf.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from surveys import accounts, tokens
from surveys.tables import Session
from tests.frontend.test_printing import rasterise
from tests.support import run

BASE = "http://127.0.0.1:8000"
EVERY_TYPE = (__import__("pathlib").Path(__file__).parent / "questionnaires" / "every-type.toml").read_bytes()


@pytest.fixture
def lead(client, db):
    run(accounts.add_account("lead@art.example", "correct horse", "lead", ["art-at-the-start"]))
    form = client.get("/lead/login")
    client.post("/lead/login", data={"email": "lead@art.example", "password": "correct horse",
                                     "_csrf_token": csrf(form.text)}, follow_redirects=False)
    return client


def csrf(html: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)


def create(client, **fields):
    form = client.get("/lead/art-at-the-start/sessions/new")
    assert form.status_code == 200
    data = {"questionnaire": "art-at-the-start-parent", "audience": "parent", "phase": "after",
            "site": "The McManus", "held_on": "2026-12-05", "_csrf_token": csrf(form.text), **fields}
    return client.post("/lead/art-at-the-start/sessions/new", data=data, follow_redirects=False)


def created_session(client, **fields) -> tuple[str, str]:
    response = create(client, **fields)
    assert response.status_code == 303
    path = response.headers["location"]
    return path, path.rsplit("/", 1)[-1]


def test_lead_uploads_a_questionnaire_and_downloads_it_again(lead):
    page = lead.get("/lead/art-at-the-start/questionnaires")
    assert page.status_code == 200
    assert "Today&#39;s art session" in page.text and "(latest)" in page.text
    response = lead.post(
        "/lead/art-at-the-start/questionnaires",
        files={"file": ("every-type.toml", EVERY_TYPE, "application/toml")},
        data={"_csrf_token": csrf(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    listing = lead.get(response.headers["location"])
    assert "Imported: every-type version 1." in listing.text
    assert "Every question type" in listing.text

    download = lead.get("/lead/art-at-the-start/questionnaires/every-type/download")
    assert download.status_code == 200
    assert download.headers["content-disposition"] == 'attachment; filename="every-type-v1.toml"'
    import tomllib

    assert tomllib.loads(download.text) == tomllib.loads(EVERY_TYPE.decode())

    # The same file again changes nothing.
    again = lead.post("/lead/art-at-the-start/questionnaires",
                      files={"file": ("every-type.toml", EVERY_TYPE, "application/toml")},
                      data={"_csrf_token": csrf(listing.text)})
    assert "every-type version 1 (unchanged)" in again.text


def test_a_wrong_upload_says_which_question_and_what_is_wrong(lead):
    page = lead.get("/lead/art-at-the-start/questionnaires")
    broken = EVERY_TYPE.replace(b'picture = "pictures/dog.svg"', b'picture = "pictures/unicorn.svg"')
    response = lead.post("/lead/art-at-the-start/questionnaires",
                         files={"file": ("mine.toml", broken, "application/toml")},
                         data={"_csrf_token": csrf(page.text)})
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "<title>Error:" in response.text
    assert "mine.toml: question &#39;pet&#39;: there is no picture &#39;pictures/unicorn.svg&#39;" in response.text

    for name, content, message in [
        ("notes.txt", b"slug = 'x'", "must be a .toml file"),
        ("big.toml", b"#" * (70 * 1024), "is too big"),
        ("bad.toml", b"slug = ", "not valid TOML"),
    ]:
        response = lead.post("/lead/art-at-the-start/questionnaires", files={"file": (name, content, "text/plain")},
                             data={"_csrf_token": csrf(page.text)})
        assert response.status_code == 400, name
        assert message in response.text, name


def test_upload_without_csrf_token_is_refused(lead):
    lead.get("/lead/art-at-the-start/questionnaires")
    response = lead.post("/lead/art-at-the-start/questionnaires",
                         files={"file": ("every-type.toml", EVERY_TYPE, "application/toml")})
    assert response.status_code == 403


def test_creating_a_session_with_mistakes_shows_an_error_summary(lead):
    response = create(lead, questionnaire="", audience="", held_on="5/12/2026",
                      opens_at="2026-12-05T12:00", closes_at="2026-12-05T10:00")
    assert response.status_code == 400
    assert "<title>Error: Create a session" in response.text
    for field, message in [
        ("questionnaire", "Choose the questionnaire people will answer"),
        ("audience", "Choose who will answer"),
        ("held_on", "Enter the date like 2026-11-23"),
        ("closes_at", "The closing time must be after the opening time"),
    ]:
        assert f'<a href="#{field}">{message}</a>' in response.text
        assert f'id="{field}-error"' in response.text
    assert 'value="The McManus"' in response.text  # what was typed is kept
    assert run(Session.count()) == 0


def test_created_session_is_listed_with_its_short_url_and_window(lead):
    path, display = created_session(lead, opens_at="2026-12-05T10:00", closes_at="2026-12-05T16:30")
    assert re.fullmatch(r"/lead/art-at-the-start/sessions/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]", path)
    row = run(Session.select().first())
    assert row["phase"] == "after" and row["site"] == "The McManus" and row["held_on"] == dt.date(2026, 12, 5)
    # Entered in Dundee time (GMT in December), stored as the same instant.
    assert row["opens_at"] == dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC)
    short = f"{BASE}/s/{display}"
    assert len(short) <= 40
    listing = lead.get("/lead/art-at-the-start/sessions")
    assert short in listing.text
    assert "Saturday 5 December 2026" in listing.text
    assert "From Saturday 5 December 2026, 10:00 until Saturday 5 December 2026, 16:30" in listing.text
    page = lead.get(path)
    assert page.status_code == 200 and short in page.text and 'class="qr"' in page.text


def test_session_qr_codes_decode_back_to_the_short_url(lead):
    path, display = created_session(lead)
    short = f"{BASE}/s/{display}"
    assert len(short) <= 40
    png = lead.get(f"{path}/qr.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert [b.text for b in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))] == [short]
    svg = lead.get(f"{path}/qr.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    body = svg.text.split("\n", 1)[1]
    assert [b.text for b in zxingcpp.read_barcodes(rasterise(body))] == [short]
    # A child's session points at the tablet pages.
    child_path, child_display = created_session(lead, audience="child", site="Nursery")
    png = lead.get(f"{child_path}/qr.png")
    assert [b.text for b in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))] == [f"{BASE}/k/{child_display}"]


@pytest.mark.parametrize("kind,width,height", [("poster", 210, 297), ("card", 105, 148)])
def test_poster_and_card_pdfs_are_one_page_with_the_short_url(lead, kind, width, height):
    path, display = created_session(lead)
    response = lead.get(f"{path}/{kind}.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert float(page.mediabox.width) == pytest.approx(width / 25.4 * 72, abs=1)
    assert float(page.mediabox.height) == pytest.approx(height / 25.4 * 72, abs=1)
    text = " ".join(page.extract_text().split())
    assert f"{BASE}/s/{display}" in text
    assert "Art at the Start" in text and "The McManus" in text and "We don't ask for your name" in text
    (image,) = page.images
    assert [b.text for b in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))] == [f"{BASE}/s/{display}"]

    html = lead.get(f"{path}/{kind}")
    assert html.status_code == 200
    assert f"{BASE}/s/{display}" in html.text and 'class="qr"' in html.text


def test_bulk_cards_for_a_date_range(lead):
    created_session(lead, held_on="2026-12-01", site="First")
    created_session(lead, held_on="2026-12-03", site="Second")
    created_session(lead, held_on="2026-12-09", site="Later")
    response = lead.get("/lead/art-at-the-start/session-cards.pdf", params={"from": "2026-12-01", "to": "2026-12-07"})
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    texts = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert len(texts) == 2
    assert "First" in texts[0] and "Second" in texts[1]
    empty = lead.get("/lead/art-at-the-start/session-cards.pdf", params={"from": "2027-01-01", "to": "2027-01-02"})
    assert empty.status_code == 400 and "No sessions are held" in empty.text


def test_another_initiatives_sessions_are_not_found(lead, client):
    from surveys.demo import ensure_demo_sessions

    anew = run(ensure_demo_sessions())["anew"]
    display = tokens.display(anew["token"])
    for path in ("/lead/anew/sessions", "/lead/anew/questionnaires", f"/lead/art-at-the-start/sessions/{display}",
                 f"/lead/art-at-the-start/sessions/{display}/poster.pdf"):
        assert lead.get(path).status_code == 404, path


@pytest.mark.parametrize("prefix", ["/s", "/k"])
def test_closed_and_future_sessions_get_a_friendly_page(lead, prefix):
    audience = "child" if prefix == "/k" else "parent"
    now = dt.datetime.now(dt.UTC)
    _, closed = created_session(lead, audience=audience, opens_at="2020-01-01T10:00", closes_at="2020-01-02T10:00")
    page = lead.get(f"{prefix}/{closed}")
    assert page.status_code == 410
    assert "This has closed" in page.text and "Traceback" not in page.text
    future = (now + dt.timedelta(days=400)).replace(month=1, day=15)
    _, later = created_session(lead, audience=audience, opens_at=f"{future.year}-01-15T09:30")
    page = lead.get(f"{prefix}/{later}")
    assert page.status_code == 403
    assert f"It opens at {future:%A} 15 January {future.year}, 09:30." in page.text
    # Sending answers to it is refused just as kindly.
    response = lead.post(f"{prefix}/{later}", data={"page": "0"})
    assert response.status_code == 403 and "opens at" in response.text


def test_every_question_page_stays_light(client, db):
    """Each page of the every-type questionnaire: HTML under 14 KB, with its CSS and pictures under 30 KB."""
    from surveys.initiatives import by_slug
    from surveys.questionnaires import parse_toml
    from surveys.sessions import create_session
    from surveys.versions import save_version
    from tests.support import hidden_fields

    art = run(by_slug("art-at-the-start"))
    version = run(save_version(art["id"], parse_toml(EVERY_TYPE.decode(), "every-type.toml")))
    session = run(create_session(art["id"], version["id"], audience="parent"))
    answers = {"pet": "cat", "travel": "bus", "activities": "clay", "agree_four": "agree", "agree_five": "agree",
               "how_often": "often", "quality": "good", "listened": "yes", "again": "yes", "feeling3": "happy",
               "feeling5": "ok", "confidence.before": "fairly", "confidence.now": "very"}
    page = client.get(f"/s/{session['token']}")
    css = len(client.get("/static/heard.css").content)
    pages = 0
    while True:
        state = [(k, v) for k, v in hidden_fields(page.text)]
        current = re.search(r'name="([a-z_0-9.]+)" (?:type="(?:radio|checkbox)"|rows)', page.text)
        if current and current.group(1) in answers:
            state.append((current.group(1), answers[current.group(1)]))
        form: dict[str, list[str]] = {}
        for k, v in state + [("nav", "next")]:
            form.setdefault(k, []).append(v)
        page = client.post(f"/s/{session['token']}", data=form, follow_redirects=False)
        if page.status_code == 303:
            break
        assert page.status_code == 200, (pages, state)
        pages += 1
        pictures = set(re.findall(r'src="(/static/[^"]+\.svg)"', page.text))
        total = len(page.content) + css + sum(len(client.get(p).content) for p in pictures)
        assert len(page.content) < 14 * 1024
        assert total < 30 * 1024, (pages, total)
    assert pages == 14


def test_sessions_say_when_their_questionnaire_has_a_newer_version(lead):
    created_session(lead)
    assert "is newer" not in lead.get("/lead/art-at-the-start/sessions").text
    exported = lead.get("/lead/art-at-the-start/questionnaires/art-at-the-start-parent/download").content
    page = lead.get("/lead/art-at-the-start/questionnaires")
    lead.post("/lead/art-at-the-start/questionnaires",
              files={"file": ("art.toml", exported.replace(b"What was the best bit?", b"What did you like most?"),
                              "application/toml")},
              data={"_csrf_token": csrf(page.text)})
    listing = lead.get("/lead/art-at-the-start/sessions").text
    assert "version 1 (version 2 is newer: create a new session to use it)" in listing


def test_sessions_are_listed_a_page_at_a_time_newest_first(lead):
    from surveys.demo import ensure_demo_sessions
    from surveys.sessions import create_session

    art = run(ensure_demo_sessions())["art-at-the-start"]
    for day in range(30):
        run(create_session(art["initiative"], art["questionnaire_version"], audience="parent",
                           site=f"Site {day:02}", held_on=dt.date(2026, 1, 1) + dt.timedelta(days=day)))
    first = lead.get("/lead/art-at-the-start/sessions").text
    assert 'aria-label="Pages of sessions"' in first and 'href="/lead/art-at-the-start/sessions?page=2"' in first
    # 31 sessions (the demo one, held today, first), 25 a page.
    assert "Site 29" in first and "Site 06" in first and "Site 05" not in first
    second = lead.get("/lead/art-at-the-start/sessions?page=2").text
    assert "Site 05" in second and "Site 00" in second and "Site 06" not in second and "page 2 of 2" in second
    assert "Site 00" in lead.get("/lead/art-at-the-start/sessions?page=99").text  # past the end: the last page
