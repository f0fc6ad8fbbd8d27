# Everything a fresh machine needs goes through these targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8765

.PHONY: install browser test demo browse bench eval scrapyd deploy clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Stamp file: reinstall only when the requirements or packaging change.
$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

install: $(VENV)/.installed

# The rendering tests drive a real Chromium: Debian's package here (playwright's own download
# cannot run offline); on a machine with internet `playwright install chromium` works too.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) || \
	  { echo "No Chromium: install Debian's chromium package or run '$(BIN)/playwright install chromium'"; exit 1; }

test: install browser
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build *.egg-info

demo: install
	BIN=$(BIN) PORT=$(PORT) bash scripts/demo.sh

# The demo archive in Datasette on 127.0.0.1 (read-only); `make demo` first.
BROWSE_PORT ?= 8001
browse: install
	@test -f data/demo.db || { echo "no data/demo.db: run 'make demo' first"; exit 1; }
	$(BIN)/newscrawl browse --db data/demo.db --port $(BROWSE_PORT)

# Speed and memory are measured here, never asserted in `make test` (the machine is noisy).
# BENCH_N=100000 BENCH_ONLY=crawl_throughput make bench: the large crawl run alone; data/bench.json
# keeps one crawl object per size.
bench: install browser
	$(BIN)/python -m bench $(BENCH_ONLY)

# Extraction quality on the shared corpus (../shared), newscrawl beside trafilatura.
eval: install
	$(BIN)/python -m bench.eval

# scrapyd in a directory of its own (docs/scrapyd.md); refuses to start without credentials.
SCRAPYD_DIR ?= $(HOME)/newscrawl-scrapyd
scrapyd: install
	@test -n "$$SCRAPYD_USERNAME" -a -n "$$SCRAPYD_PASSWORD" || { echo "export SCRAPYD_USERNAME and SCRAPYD_PASSWORD first (docs/scrapyd.md)"; exit 1; }
	mkdir -p "$(SCRAPYD_DIR)" && cp deploy/scrapyd.conf "$(SCRAPYD_DIR)/"
	cd "$(SCRAPYD_DIR)" && "$(CURDIR)/$(BIN)/scrapyd"

# Build the egg and upload it to $$SCRAPYD_URL (scrapy.cfg [deploy:local]).
deploy: install
	$(BIN)/scrapyd-deploy local
