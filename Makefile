# Mandate Metrics task runner: CI and pre-commit call these same targets, so they cannot drift.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PORT   ?= 8501

.DEFAULT_GOAL := help
.PHONY: help install run test test-fast lint format typecheck check seed bench bench-scale screenshots catalogs fonts clean

help:  ## List every target
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)  ## Create .venv and install the app with its test tools

run: $(STAMP)  ## Serve the dashboard on http://localhost:8501 from the shipped data (offline)
	@test -s "$${MANDATE_METRICS_STAFF_FILE:-.streamlit/staff.json}" || printf '%s\n' \
		"No staff account yet. To upload and publish data, create one (the password is read without echo):" \
		"    .venv/bin/mandate-metrics add-staff YOUR-NAME" ""
	MALLOC_ARENA_MAX=2 $(VENV)/bin/streamlit run serve.py --server.port $(PORT) --server.address 127.0.0.1 \
		--server.headless true --browser.gatherUsageStats false

AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json  # the accessibility checker the browser tests inject
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

test: $(STAMP) $(AXE)  ## Run the whole test suite (library, AppTest pages, real browser)
	$(PY) -m pytest -q

test-fast: $(STAMP)  ## Run everything except the real-browser tests
	$(PY) -m pytest -q -m "not browser"

lint: $(STAMP)  ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check src tests app_pages app.py serve.py benchmarks deploy

format: $(STAMP)  ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format src tests app_pages app.py serve.py benchmarks deploy

typecheck: $(STAMP)  ## mypy over the package
	$(VENV)/bin/mypy

check: lint typecheck test  ## Everything CI runs

seed: $(STAMP)  ## Regenerate the illustrative sample ledger and refresh every sidecar
	$(VENV)/bin/mandate-metrics seed

bench: $(STAMP)  ## Speed and memory beside baselines, into benchmarks/results/ (about 35 minutes)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev,bench]"
	$(PY) benchmarks/bench_validation.py
	$(PY) benchmarks/bench_pages.py
	$(PY) benchmarks/bench_exports.py
	$(PY) benchmarks/bench_browser.py
	$(PY) benchmarks/bench_loading.py
	$(PY) benchmarks/bench_public.py

bench-scale: $(STAMP)  ## One replica vs three behind HAProxy over one bucket, 30-375 sessions (about 12 minutes)
	$(PY) benchmarks/bench_scale.py

screenshots: $(STAMP) $(AXE)  ## Screenshots of every page at 1920x1080 and 1280x720 into screenshots/
	$(PY) -m pytest -q tests/test_browser.py -k screenshots

LOCALES := src/mandate_metrics/locales
catalogs: $(STAMP)  ## Extract new English messages into every language's .po file, then compile the .mo
	$(VENV)/bin/pybabel extract -F babel.cfg --no-default-keywords -k N_:1c,2 -k NN_:1c,2,3 -k _ -k gettext_noop -k ngettext:1,2 \
		--sort-by-file --no-location --project "Mandate Metrics" --copyright-holder IIIM \
		--msgid-bugs-address "" -o $(LOCALES)/messages.pot .
	$(VENV)/bin/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) --width 100
	$(VENV)/bin/pybabel compile -d $(LOCALES) --statistics

# Noto Sans SC (OFL) from npm, cut to the characters the Chinese catalogue, data and CLDR use.
NOTO_SC := @expo-google-fonts/noto-sans-sc@0.4.3
fonts: $(STAMP)  ## Rebuild the Chinese font subsets in static/fonts (after a Chinese text changes)
	rm -rf .fonts && mkdir -p .fonts
	cd .fonts && npm pack --silent $(NOTO_SC) >/dev/null && tar xzf *.tgz
	$(PY) -m mandate_metrics.glyphs .fonts/package/400Regular/NotoSansSC_400Regular.ttf static/fonts/NotoSansSC-Regular.subset.woff2
	$(PY) -m mandate_metrics.glyphs .fonts/package/700Bold/NotoSansSC_700Bold.ttf static/fonts/NotoSansSC-Bold.subset.woff2
	rm -rf .fonts

clean:  ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
