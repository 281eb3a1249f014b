# Two commands do all the set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := src/hexaglot/web/static/vendor
HLSJS := $(VENDOR)/hls.min.js
TUSJS := $(VENDOR)/tus.min.js
SWAGGER := $(VENDOR)/swagger-ui-bundle.js
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint bench clean web-assets messages

# `make .venv` gives a virtual environment with Hexaglot and its dev extras installed.
$(VENV): $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev,speech]'
	touch $(STAMP)

# The pages' scripts from npm (hls.js, tus-js-client for the workspace's resumable uploads,
# Swagger UI), copied under static/vendor (not committed); axe-core (node_modules/axe-core)
# for the accessibility tests.
web-assets: $(HLSJS) $(TUSJS) $(SWAGGER)

$(HLSJS) $(TUSJS) $(SWAGGER) &: package.json
	npm install --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp node_modules/hls.js/dist/hls.min.js $(HLSJS)
	cp node_modules/tus-js-client/dist/tus.min.js $(TUSJS)
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/
	sed -i '/sourceMappingURL/d' $(SWAGGER) $(VENDOR)/swagger-ui.css $(TUSJS)

# The interface strings: extract them from the templates and code, merge them into every
# language's catalogue (then translate the new msgids in src/hexaglot/web/locale/*/).
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output -o src/hexaglot/web/locale/hexaglot.pot src/hexaglot/web
	$(BIN)/pybabel update -i src/hexaglot/web/locale/hexaglot.pot -d src/hexaglot/web/locale -D hexaglot --no-fuzzy-matching

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
