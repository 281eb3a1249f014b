# Two commands do all the set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := src/hexaglot/web/static/vendor
HLSJS := $(VENDOR)/hls.min.js
TUSJS := $(VENDOR)/tus.min.js
AXEJS := $(VENDOR)/axe.min.js
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint bench clean web-assets

# `make .venv` gives a virtual environment with Hexaglot and its dev extras installed.
$(VENV): $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev,speech]'
	touch $(STAMP)

web-assets: $(HLSJS) $(TUSJS) $(AXEJS)

# the vendor files (not committed): hls.js (player), tus-js-client (resumable uploads),
# axe-core (the accessibility checks of the browser tests)
$(HLSJS) $(TUSJS) $(AXEJS) &: package.json
	npm install --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp node_modules/hls.js/dist/hls.min.js $(HLSJS)
	cp node_modules/tus-js-client/dist/tus.min.js $(TUSJS)
	cp node_modules/axe-core/axe.min.js $(AXEJS)

demo: $(STAMP) web-assets
	$(BIN)/hexaglot demo --host $(HOST) --port $(PORT)

test: $(STAMP) web-assets
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) node_modules hexaglot-home $(VENDOR)
