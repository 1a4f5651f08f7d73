#!/usr/bin/env python3
"""Set up and run Heard from a fresh clone with nothing but Python 3.11+.

    python3 dev.py demo     # install what's needed, then start the service with demo data
    python3 dev.py test     # install what's needed, then run the whole test suite

It makes a virtual environment in .venv (once), installs Heard into it with its test tools, every
package at the version and hash requirements.lock names (again whenever pyproject.toml or the
lockfile changes), then runs ``heard demo`` or ``pytest``. Any further
arguments are passed on, e.g. ``python3 dev.py test -k journey`` or ``python3 dev.py demo --port 8080``.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".heard-installed"
# Every dependency, indirect ones too, pinned with hashes: `make lock` writes it from pyproject.toml.
LOCK = ROOT / "requirements.lock"


def ensure_environment() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Heard needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not (BIN / "python").exists() and not (BIN / "python.exe").exists():
        print("Making a virtual environment in .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + LOCK.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        print("Installing Heard and its dependencies (the first time takes a minute) …", flush=True)
        python = str(BIN / "python")
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        # Every package, direct or not, at the version and with the hashes the lockfile names;
        # then Heard itself, which adds nothing more.
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", str(LOCK)], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", "-e", f"{ROOT}[test]"], check=True)
        STAMP.write_text(wanted)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("demo", "test"):
        print(__doc__.strip())
        return 2
    command, rest = sys.argv[1], sys.argv[2:]
    ensure_environment()
    os.chdir(ROOT)
    if command == "demo":
        argv = [str(BIN / "heard"), "demo", *rest]
    else:
        argv = [str(BIN / "python"), "-m", "pytest", *rest]
    return subprocess.call(argv)


if __name__ == "__main__":
    sys.exit(main())
