# Conveniences for maintainers; a new user needs only `python3 dev.py demo` and `python3 dev.py test`.
PY := .venv/bin/python

.PHONY: demo test test-postgres bench bench-quick ci

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
