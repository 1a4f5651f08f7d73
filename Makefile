# Conveniences for maintainers; a new user needs only `python3 dev.py demo` and `python3 dev.py test`.
# The service compiles the .po files in memory when it starts using a language, so no .mo file
# is ever committed.
PY := .venv/bin/python
PYBABEL ?= .venv/bin/pybabel
LOCALES := frontend/locales
EXTRACT := $(PYBABEL) extract --mapping-file babel.cfg --keywords N_ --no-location --sort-output \
	--project Heard --msgid-bugs-address "" --copyright-holder "Heard contributors" \
	--width 100 --output-file $(LOCALES)/messages.pot .

.PHONY: demo test test-postgres bench bench-quick ci lint fix lock messages new-language

demo:
	python3 dev.py demo

test:
	python3 dev.py test

test-postgres:
	HEARD_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python3 dev.py test

bench:
	$(PY) -m bench.run

bench-quick:
	$(PY) -m bench.run --quick

ci:
	bash .ci/run

# What .ci/run checks before the tests: lint rules, formatting and types (pyproject.toml says which).
lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

# Fix what can be fixed by machine: lint fixes, then formatting.
fix:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# Write requirements.lock again from pyproject.toml (every package pinned, with hashes, for
# Python 3.11 and newer on any platform); dev.py and .ci/run install from it.
lock:
	$(PY) -m pip install --quiet uv
	$(PY) -m uv pip compile pyproject.toml --extra test --universal --python-version 3.11 \
		--generate-hashes --no-header --quiet -o requirements.lock


# Re-read every _()/N_() string into messages.pot, then merge it into each language's .po file
# (new strings arrive untranslated; tests/test_translations.py fails until they are translated).
messages:
	$(EXTRACT)
	$(PYBABEL) update --input-file $(LOCALES)/messages.pot --output-dir $(LOCALES) --no-fuzzy-matching \
		--ignore-obsolete --width 100

# Start a new language: make new-language LANG=gd
new-language:
	$(PYBABEL) init --input-file $(LOCALES)/messages.pot --output-dir $(LOCALES) --locale $(LANG) --width 100

