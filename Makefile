# Shortcuts for the commands in README.md.
PY := .venv/bin/python

.PHONY: setup build check test golden serve bench
setup:            ## set up .venv and the Debian packages, then build
	bash scripts/setup.sh
build:            ## check, then build site/ (with the PDF) and build/internal/
	$(PY) build.py
check:            ## check every proposal
	$(PY) build.py check
test:             ## the full test suite (what CI runs after setup)
	$(PY) -m pytest
golden:           ## rewrite the golden files from the current output; review the diff before committing
	$(PY) -m pytest --update-golden tests/test_check_cli.py tests/test_site_pages.py tests/test_diff.py
serve:            ## live preview on http://127.0.0.1:8000
	$(PY) build.py serve
bench:            ## benchmarks that print figures (the whole build at 50, 200 and 1,000 topics takes minutes)
	$(PY) bench/check.py
	$(PY) bench/run.py --topics 50,200,1000
