"""The layout's rules, checked: which package may import which, and no import cycles.

The imports are read with :mod:`ast` (nothing is imported), every ``import`` counted, at the top
of a module or inside a function: a lazy import is still a dependency. ``docs/architecture.md``
explains the rules; this test fails, naming the file and line, when one is broken.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("surveys", "voice", "frontend")

# What each part of frontend/ may import from frontend/ (``frontend`` itself only names the
# shared asset folders). The app factory composes every face; the CLI may use any but the app.
FACES = ("core", "documents", "respondent", "lead", "partner", "api", "cli", "app")
MAY_IMPORT = {
    "core": {"core"},
    "documents": {"core", "documents"},
    "respondent": {"core", "documents", "respondent"},
    "lead": {"core", "documents", "lead"},
    "partner": {"core", "documents", "partner"},
    "api": {"core", "api"},
    "cli": {"core", "documents", "lead", "cli"},
    "app": {"core", "documents", "respondent", "lead", "partner", "api"},
}
# The domain never reaches up into a face, and surveys never into voice.
DOMAIN_MAY_NOT = {"surveys": ("voice", "frontend"), "voice": ("frontend",)}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


def imports_of(path: Path, known: dict[str, Path]) -> list[tuple[str, int]]:
    """(module imported, line) for every import in the file, resolved to a module we have."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                # ``from frontend.core import access`` imports the module frontend.core.access.
                child = f"{node.module}.{alias.name}"
                found.append((child if child in known else node.module, node.lineno))
    return [(name, line) for name, line in found if name.split(".")[0] in PACKAGES]


def face_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "frontend" or len(parts) == 1:
        return None
    return parts[1]


def broken_rules(known: dict[str, Path]) -> list[str]:
    problems = []
    for module, path in known.items():
        where = path.relative_to(ROOT)
        top, face = module.split(".")[0], face_of(module)
        for imported, line in imports_of(path, known):
            if top in DOMAIN_MAY_NOT and imported.split(".")[0] in DOMAIN_MAY_NOT[top]:
                problems.append(f"{where}:{line}: {top} must not import {imported}")
            target = face_of(imported)
            if face is None or target is None or target == face:
                continue
            if face not in MAY_IMPORT:
                problems.append(f"{where}:{line}: frontend/{face} is not in the layout (tests/test_architecture.py)")
            elif target not in MAY_IMPORT[face]:
                problems.append(f"{where}:{line}: frontend/{face} must not import {imported}")
    return problems


def cycles(known: dict[str, Path]) -> list[list[str]]:
    """Every import cycle among the modules (each found once, from its first module in order)."""
    graph = {m: sorted({i for i, _ in imports_of(p, known) if i in known and i != m}) for m, p in known.items()}
    found, done = [], set()

    def visit(module: str, trail: list[str]) -> None:
        for nxt in graph[module]:
            if nxt in trail:
                cycle = trail[trail.index(nxt) :] + [nxt]
                if frozenset(cycle) not in done:
                    done.add(frozenset(cycle))
                    found.append(cycle)
            elif nxt not in seen:
                seen.add(nxt)
                visit(nxt, trail + [nxt])

    for start in graph:
        seen = {start}
        visit(start, [start])
    return found


def test_every_package_imports_only_what_the_layout_allows():
    assert broken_rules(modules()) == []


def test_there_are_no_import_cycles():
    assert cycles(modules()) == []


def test_every_module_of_frontend_is_in_a_known_place():
    strays = [m for m in modules() if m.startswith("frontend.") and face_of(m) not in FACES]
    assert strays == [], "add the module to a package of frontend/ (see docs/architecture.md)"


# The three Dundee initiatives Heard was built with are data: only their packs and the demo name them.
SHIPPED_INITIATIVES = ("anew", "cmhwf", "art-at-the-start")
MAY_NAME_THEM = (
    "surveys/packs/",
    "surveys/demo.py",
    "surveys/practitioner_demo.py",
    "frontend/cli/demo.py",
    "voice/data/common_words.txt",  # an English word list: "anew" there is the word, not the initiative
)


def test_no_domain_or_web_code_names_a_shipped_initiative():
    """``git grep "anew\\|cmhwf\\|art-at-the-start" -- surveys voice frontend`` finds only the packs
    and the demo: a fourth initiative needs no code, and no page or count treats these three apart."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            where = path.relative_to(ROOT).as_posix()
            if not path.is_file() or where.startswith(MAY_NAME_THEM) or path.suffix in (".po", ".mo", ".pot", ".pyc"):
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # pictures, fonts, audio
            for number, line in enumerate(text.splitlines(), start=1):
                if any(name in line for name in SHIPPED_INITIATIVES):
                    found.append(f"{where}:{number}: {line.strip()[:100]}")
    assert found == []
