"""The project files an operator or contributor relies on say what is true."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _locked() -> dict[str, set[str]]:
    versions: dict[str, set[str]] = {}
    for match in re.finditer(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", (ROOT / "requirements.lock").read_text(), re.M):
        versions.setdefault(_name(match[1]), set()).add(match[2])
    return versions


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_lockfile_pins_every_declared_dependency_at_its_declared_version_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    locked = _locked()
    for requirement in declared:
        # A pin may carry an environment marker ("uvloop==…; sys_platform != 'win32'").
        name, version = re.fullmatch(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;]+)(?:\s*;.*)?", requirement).groups()
        assert version in locked.get(_name(name), set()), (
            f"{requirement} in pyproject.toml, but requirements.lock has {sorted(locked.get(_name(name), []))}: "
            "run `make lock`"
        )
    text = (ROOT / "requirements.lock").read_text()
    # Every pinned package carries at least one hash, so pip installs it only with --require-hashes.
    for block in re.split(r"\n(?=[A-Za-z0-9])", text.strip()):
        assert "--hash=sha256:" in block, f"no hash for {block.splitlines()[0]}"


def test_the_licence_file_is_the_licence_pyproject_names():
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"] == "AGPL-3.0-or-later"
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007")
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text
