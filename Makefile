# Flightdeck: `make run` starts the dashboard, `make test` runs every test. Both call `make setup`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
CHART := static/vendor/chart.umd.js

.PHONY: setup run test test-fast bench system-deps clean

setup: $(STAMP) $(CHART) system-deps
	@mkdir -p instance

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

$(CHART): package.json
	npm install --no-audit --no-fund --silent
	mkdir -p static/vendor
	cp node_modules/chart.js/dist/chart.umd.js $(CHART)

# Debian packages the tests need, installed only where missing: Chromium for the browser tests and
# screenshots, redis-server for the shared-cache tests.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: setup
	bash scripts/run.sh

test: setup
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not browser"

bench: setup
	$(PY) bench/aac_schedules_page.py
	$(PY) bench/server_jobs_page.py
	$(PY) bench/overview_fanout.py
	$(PY) bench/overview_warm.py
	$(PY) bench/alooma_pipeline_page.py
	$(PY) bench/scale.py
	$(PY) bench/stored_connections.py

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache
