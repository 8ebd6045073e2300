# The two commands of the README: `make run` and `make test`. Both set everything up first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
export EO152_DATA_DIR ?= $(CURDIR)/var
# Property tests run derandomized here and in CI (tests/conftest.py).
export HYPOTHESIS_PROFILE ?= ci
POSTGRES_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8152
CHROMIUM := /usr/bin/chromium
NGINX := /usr/sbin/nginx

.PHONY: setup postgis run test lint typecheck pytest pytest-postgres policy scenarios bench bench-places load

$(BIN)/eo152: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# The web app's front-end packages (USWDS; axe-core for the accessibility tests), as locked.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# PostGIS for benchmarks/places.py, from Debian's packages; skipped when present, and when
# this is not a Debian machine run as root (the benchmark then says PostGIS was skipped).
POSTGIS_PACKAGE := postgresql-15-postgis-3
postgis:
	@if dpkg -s $(POSTGIS_PACKAGE) >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(POSTGIS_PACKAGE); \
	else echo "$(POSTGIS_PACKAGE) is not installed (needs root and apt-get); benchmarks/places.py skips PostGIS"; fi

# Debian's Chromium for the browser tests; Playwright never downloads a browser of its own.
$(CHROMIUM):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# nginx in front of Granian (`eo152 serve`): it times out stalled request bodies (docs/deploy.md).
$(NGINX):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light

# DejaVu, the fonts of the referral's PDF (WeasyPrint renders with the system's fonts).
DEJAVU := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
$(DEJAVU):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core

setup: $(BIN)/eo152 postgis node_modules/.package-lock.json $(CHROMIUM) $(NGINX) $(DEJAVU)

# Serves the web app (Check a situation) and the API on http://$(HOST):$(PORT)/ until Ctrl-C.
# A new data folder gets the demo (accounts for every role, printed, and a few incidents);
# `make run DEMO=0` for a real deployment. `eo152 demo load` refuses a folder with records.
DEMO ?= 1
run: setup
	$(BIN)/eo152 init
	if [ "$(DEMO)" != 0 ]; then $(BIN)/eo152 demo load; fi
	$(BIN)/eo152 serve --host $(HOST) --port $(PORT)

test: setup lint typecheck pytest pytest-postgres policy scenarios

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/pytest

# The tests that touch a database run again on PostgreSQL (marker `db`).
pytest-postgres:
	DATABASE_URL=$(POSTGRES_TEST_URL) $(BIN)/pytest -m db

policy:
	$(BIN)/eo152 policy check
	$(BIN)/eo152 policy test
	$(BIN)/eo152 exercise check

scenarios:
	$(PY) $(SHARED)/tools/check_scenarios.py $(SHARED)/scenarios/denver-eo-152.json --cmd "$(BIN)/eo152 decide --json -"

bench: setup
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python benchmarks/decide.py

bench-places: setup
	$(BIN)/python benchmarks/places.py

# HTTP load on POST /api/v1/decisions (20 clients); prints the server command and the figures.
load: setup
	$(BIN)/python benchmarks/load.py
