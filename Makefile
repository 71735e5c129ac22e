# Fördela – two commands for a new user:
#   make demo   install, migrate, load the real reference data, seed the programme, serve
#   make test   run the whole test suite against PostgreSQL (incl. browser tests)
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first Python 3.12 that actually runs (pyenv's shims may exist but fail).
PYTHON312 ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /root/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do "$$p" -c "import sys; assert sys.version_info[:2] == (3, 12)" >/dev/null 2>&1 && { command -v "$$p"; break; }; done)
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
VENV_PY := .venv/bin/python
MANAGE := $(VENV_PY) manage.py
PROGRAMME := S2020/01591
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install demo demo-data serve test test-fast lint format bench-allocation bench-web bench-scale check-deploy messages update-axe update-design-system

help:
	@echo "make demo              start the demo on http://$(HOST):$(PORT) (SQLite, real data)"
	@echo "make test              run all tests (PostgreSQL on 127.0.0.1:5432, Chromium)"
	@echo "make test-fast         the same without the browser tests (-m 'not e2e')"
	@echo "make lint              ruff check + format check"
	@echo "make bench-allocation  time the allocation engine (and a key stored and published) for 290 / 10 000 / 100 000 organisations"
	@echo "make bench-web         load benchmark against gunicorn + PostgreSQL"
	@echo "make bench-scale       pages and jobs at 1x and 10x the demo's data (BENCH_ARGS=\"--factors 1,30\")"
	@echo "make update-axe        fetch the vendored axe-core again from npm (AXE_VERSION=x.y.z)"
	@echo "make update-design-system  fetch and compile GOV.UK Frontend again from npm (GOVUK_FRONTEND_VERSION=x.y.z)"

$(UV):
	python3 -m pip install --user --quiet uv || python3 -m pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	@test -n "$(PYTHON312)" || { echo "Python 3.12 is needed (Django 6). Install it, e.g. with pyenv, or set PYTHON312=/path/to/python3.12."; exit 1; }
	$(UV) sync --frozen --python $(PYTHON312)
	@touch $@

install: .venv/.synced

demo-data: install
	@mkdir -p var
	$(MANAGE) migrate --no-input
	$(MANAGE) load_reference_data
	$(MANAGE) seed_demo_users
	$(MANAGE) seed_demo_materials
	$(MANAGE) seed_programme
	$(MANAGE) compute_allocation_keys $(PROGRAMME) --year 2020 --year 2021 --freeze
	$(MANAGE) compute_allocation_keys $(PROGRAMME) --year 2022
	$(MANAGE) seed_demo_rounds
	$(MANAGE) seed_calls --demo-users
	$(MANAGE) seed_demo_reports
	$(MANAGE) seed_demo_recovery
	$(MANAGE) seed_demo_events
	$(MANAGE) seed_demo_regional

serve: install
	$(MANAGE) runserver $(HOST):$(PORT)

demo: demo-data
	@echo
	@echo "Fördela runs on http://$(HOST):$(PORT)/  – e.g. http://$(HOST):$(PORT)/program/s2020-01591/2021/kommuner/fordelningsnyckel/"
	@echo "Log in at http://$(HOST):$(PORT)/logga-in/ (password: demo) as handlaggare, beslutsfattare,"
	@echo "  ekonomi, jamy, ombud-<kommunkod> (e.g. ombud-1440 for Ale) or ombud-r<länskod> (e.g. ombud-r14)"
	@echo "E-mails (receipts, invitations, decision letters) are printed here by the background worker."
	@echo
	@# The task worker (e-mail, reminders, PDFs) runs beside the web server and stops with it.
	$(MANAGE) task_worker --interval 1 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver $(HOST):$(PORT)

# The browser tests drive Debian's Chromium (never `playwright install`: it
# downloads a browser build of its own). As root it is installed here, as
# bench-web installs wrk; otherwise the run stops at once with the command.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@[ "$$(id -u)" = 0 ] || { echo "The browser tests need Debian's Chromium: sudo apt-get install -y chromium"; exit 1; }
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# Two workers (each with its own test database; tests that must not share a
# worker are in one xdist_group). PYTEST_ARGS= runs them in one process.
PYTEST_ARGS ?= -n 2 --dist loadgroup

test: install | $(CHROMIUM)
	@$(VENV_PY) scripts/check_test_services.py
	$(VENV_PY) -m pytest $(PYTEST_ARGS)

test-fast: install
	@$(VENV_PY) scripts/check_test_services.py
	$(VENV_PY) -m pytest -m "not e2e" $(PYTEST_ARGS)

lint: install
	$(VENV_PY) -m ruff check .
	$(VENV_PY) -m ruff format --check .

format: install
	$(VENV_PY) -m ruff check --fix .
	$(VENV_PY) -m ruff format .

messages: install
	$(MANAGE) makemessages -l sv --no-location --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'node_modules/*' --ignore 'scripts/*'
	$(MANAGE) compilemessages -l sv --ignore .venv

bench-allocation: install
	$(VENV_PY) -m fordela.bench.allocation

# gunicorn + PostgreSQL (database fordela_bench) under wrk; see docs/performance.md.
bench-web: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } || { echo "wrk is needed: apt-get install wrk"; exit 1; }
	@$(VENV_PY) scripts/check_test_services.py
	$(VENV_PY) scripts/bench_web.py $(BENCH_ARGS)

# Pages and jobs at 1× and 10× the demo's data (BENCH_ARGS=--factors 1,30 for 30×);
# databases fordela_scale_N, the Django test client; see docs/performance.md.
.PHONY: bench-scale
bench-scale: install
	@$(VENV_PY) scripts/check_test_services.py
	$(VENV_PY) scripts/bench_scale.py $(BENCH_ARGS)

# axe-core for the accessibility tests is vendored in tests/e2e/vendor; this
# fetches it again from npm (AXE_VERSION=x.y.z to change the pinned version).
update-axe:
	scripts/update_axe.sh $(AXE_VERSION)

# GOV.UK Frontend, compiled with Fördela's settings, is vendored in
# static/vendor/govuk-frontend; this fetches and compiles it again from npm
# (docs/design-system.md). Node is needed only here.
update-design-system:
	scripts/update_design_system.sh $(GOVUK_FRONTEND_VERSION)

# The uptake map's SVG paths (fordela/reporting/data/map_paths.json) from the
# vendored boundaries in data/reference/; the output is committed
# (fordela/reporting/data/SOURCES.md). MAP_ARGS=--check fails if it is stale.
.PHONY: map-paths
map-paths: install
	$(VENV_PY) scripts/build_map_paths.py $(MAP_ARGS)
