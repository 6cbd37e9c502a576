# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The machine's PostgreSQL (trust auth); pytest-django creates and drops its own test_test database there.
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

# Front-end files the site serves itself, copied from npm packages pinned in package-lock.json.
VENDOR := millennium/static/vendor
ASSETS := $(VENDOR)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test test-sqlite test-postgres check-postgres browser messages bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found; set PYTHON=python3 (3.11)"; exit 2; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

$(ASSETS): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js and npm (Debian: apt-get install nodejs npm)"; exit 2; }
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js \
	   node_modules/vega-embed/build/vega-embed.min.js node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	touch $(ASSETS)

# Debian packages the tests need: chromium for the browser tests (Playwright's own browser download cannot run
# here), pango and fonts for WeasyPrint's PDFs, poppler's pdftoppm for the report's page images.
SYSTEM_PACKAGES := chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
browser:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else echo "Missing Debian packages: $$missing (run 'sudo apt-get install $$missing')"; exit 2; fi; fi

demo: $(STAMP) $(ASSETS)
	$(BIN)/millennium demo

test: $(STAMP) $(ASSETS) browser
	$(BIN)/python -m django makemigrations --check --dry-run --settings=millennium.settings
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite: $(STAMP)
	DATABASE_URL= MILLENNIUM_HOME=$$(mktemp -d) $(BIN)/pytest

test-postgres: $(STAMP) check-postgres
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(POSTGRES_URL)', connect_timeout=5).close()" 2>/dev/null; then \
		DATABASE_URL=$(POSTGRES_URL) MILLENNIUM_HOME=$$(mktemp -d) $(BIN)/pytest; \
	else echo "PostgreSQL at $(POSTGRES_URL) is not reachable: the PostgreSQL run was SKIPPED"; fi

# With CI=true an unreachable PostgreSQL fails the build instead of skipping half the suite.
check-postgres: $(STAMP)
	@if [ "$$CI" = "true" ]; then \
		$(BIN)/python -c "import psycopg; psycopg.connect('$(POSTGRES_URL)', connect_timeout=5).close()" \
		|| { echo "CI: PostgreSQL at $(POSTGRES_URL) is required and not reachable"; exit 1; }; fi

# The English catalogue: Swedish texts are the msgids. Needs gettext (apt-get install gettext).
messages: $(STAMP)
	cd millennium && DJANGO_SETTINGS_MODULE=millennium.settings ../$(BIN)/python -P -m django makemessages -l en \
		-i "static/*" -i "analysis/*" -i "readers/*" --no-obsolete
	cd millennium && ../$(BIN)/python -P -m django compilemessages -l en --settings=millennium.settings

bench: $(STAMP)
	$(BIN)/python bench/import_kolada.py

clean:
	rm -rf $(VENV) var node_modules $(VENDOR)
