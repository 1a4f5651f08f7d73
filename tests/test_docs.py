"""Docs checked by tests (after datasette): every command and setting is in the README."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from frontend.cli import parser
from frontend.core.settings import ENVIRONMENT

README = (Path(__file__).parent.parent / "README.md").read_text()


def _commands():
    sub = next(a for a in parser()._actions if a.dest == "command")
    return sub.choices


def test_every_command_is_in_the_readme():
    for name in _commands():
        assert f"`heard {name}" in README, f"heard {name} is not documented in README.md"


def test_every_option_is_in_the_readme():
    for name, command in _commands().items():
        for action in command._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert flag in README, f"heard {name} {flag} is not documented in README.md"


def test_every_setting_is_in_the_readme():
    for variable in ENVIRONMENT:
        assert f"`{variable}`" in README, f"{variable} is not documented in README.md"


def test_heard_help_lists_each_command():
    out = subprocess.run([sys.executable, "-m", "frontend.cli", "--help"], capture_output=True, text=True, check=True)
    for name in _commands():
        assert name in out.stdout


def test_serve_without_secret_key_says_what_to_do(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HEARD_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "frontend.cli", "serve"], capture_output=True, text=True, env=env)
    assert out.returncode == 2
    assert "HEARD_SECRET_KEY is not set" in out.stderr
    assert "Traceback" not in out.stderr
