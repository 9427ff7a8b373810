# The two commands of the README: `make run` (install, then start on the demo data; PORT=8601 for
# another port) and `make test` (install, lint with ruff check, then run every test, the browser
# tests included, in TEST_WORKERS parallel processes).
PYTHON ?= python3
PORT ?= 8501
# Four workers on two cores: two of them spend the first minutes in the two browser lanes, mostly
# waiting on Chromium and Streamlit, so two more keep both cores busy meanwhile (README, Tests,
# gives the measurements).
TEST_WORKERS ?= 4
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install system-packages browser bench

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# Debian packages the tests need, installed by one quiet apt-get run when any is missing:
# chromium for the browser tests (Playwright cannot download its own browser on the intranet
# machines) with fonts-noto-color-emoji (the pages' icons in screenshots), nginx for the reverse
# proxy test of deploy/nginx.conf, postgresql for the PostgreSQL backend's throwaway servers
# (/usr/lib/postgresql/*/bin/initdb). Without apt-get it only names what is missing: the tests
# that need it are skipped, or fail when CI is set.
SYSTEM_PACKAGES := chromium fonts-noto-color-emoji nginx postgresql

system-packages:
	@missing=$$(for package in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$package 2>/dev/null | grep -q ' installed$$' || echo $$package; \
	done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	missing=$$(echo $$missing); \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "Missing system packages (install them by hand): $$missing"; exit 0; fi; \
	echo "Installing Debian packages for the tests: $$missing"; \
	SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
		-o DPkg::Lock::Timeout=600 $$missing >/dev/null

# The old name of system-packages.
browser: system-packages

run: $(STAMP)
	$(BIN)/okrdash --create serve --port $(PORT)

# --dist loadgroup: tests are handed out one by one, except that the browser tests (tests/e2e) run
# in two lanes, each whole on one worker, and a test using a module-scoped fixture runs with the rest
# of its file (pytest_xdist_make_scheduler in tests/conftest.py).
test: $(STAMP) system-packages
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

bench: $(STAMP)
	$(BIN)/python -m bench.pages
