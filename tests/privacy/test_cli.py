"""The privacy commands: heard codes, heard erase, heard purge, and serve refusing unsafe keys."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import io
import os
import subprocess
import sys

from pypdf import PdfReader

from frontend import cli
from surveys.pseudonyms import display, new_code, normalise
from surveys.tables import AuditEvent, Response
from tests.privacy.helpers import ANEW, answer, phase_session
from tests.privacy.test_lead_privacy import CODE
from tests.support import run


def main(argv: list[str]) -> int:
    """``heard ...`` in-process, in a thread of its own: the browser tests may leave an event
    loop running in this one, and the command calls asyncio.run like it does from a shell."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(cli.main, argv).result()


def test_heard_codes_writes_a_pdf_of_fresh_codes(db, tmp_path, capsys):
    out = tmp_path / "cards.pdf"
    assert main(["codes", "--initiative", "anew", "--count", "9", "-o", str(out)]) == 0
    assert "9 participant cards on 2 A4 sheets" in capsys.readouterr().out
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    codes = CODE.findall("\n".join(p.extract_text() for p in reader.pages))
    assert len(reader.pages) == 2 and len(set(codes)) == 9 and all(normalise(c) for c in codes)
    assert main(["codes", "--initiative", "nope", "-o", str(out)]) == 2
    assert "no initiative 'nope'" in capsys.readouterr().err


def test_heard_erase_deletes_by_code_and_reports_how_many(db, capsys):
    session = run(phase_session("anew", "after"))
    person = new_code()
    run(answer(session, ANEW, code=person))
    run(answer(session, ANEW, code=person))
    run(answer(session, ANEW))
    assert main(["erase", "--initiative", "anew", "--code", display(person), "--by", "dpo@dundee.example"]) == 0
    assert "Deleted 2 responses" in capsys.readouterr().out
    assert run(Response.count()) == 1
    event = run(AuditEvent.select().where(AuditEvent.action == "erased on request").first())
    assert event["actor"] == "dpo@dundee.example"
    # A typo is reported, not silently ignored.
    assert main(["erase", "--initiative", "anew", "--code", person[:8]]) == 2
    assert "not a valid participant code" in capsys.readouterr().err


def test_heard_purge_deletes_what_has_expired(db, capsys):
    session = run(phase_session("anew", "after"))
    run(answer(session, ANEW, when=dt.datetime(2020, 5, 1, tzinfo=dt.UTC)))
    run(answer(session, ANEW))
    assert main(["purge"]) == 0
    assert "anew: 1 expired response deleted" in capsys.readouterr().out
    assert run(Response.count()) == 1


def test_serve_refuses_a_key_file_others_can_read(tmp_path):
    keys = tmp_path / "keys"
    keys.mkdir()
    key = keys / "anew.key"
    key.write_text("ab" * 32)
    os.chmod(key, 0o644)
    env = {"PATH": "/usr/bin:/bin", "HEARD_DATA_DIR": str(tmp_path), "HEARD_SECRET_KEY": "x" * 40,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'heard.sqlite3'}"}
    out = subprocess.run([sys.executable, "-m", "frontend.cli", "serve", "--port", "1"], capture_output=True,
                         text=True, env=env, timeout=60)
    assert out.returncode == 2
    assert "refusing to start" in out.stderr and f"chmod 600 {key}" in out.stderr
    assert "Traceback" not in out.stderr
