# The two commands a newcomer needs: `make serve` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# make serve PORT=8123: another port, when 8000 is taken.
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)

.PHONY: serve build test publish clean help

help:
	@echo "make serve    build both languages and serve them at http://localhost:8000 (PORT=8123: another port)"
	@echo "make build    build both languages into output/"
	@echo "make test     run ruff and every test"
	@echo "make publish  build with the production settings"
	@echo "make clean    remove what builds leave (output/, review/, dist/, cache/, .mo files)"

# The stamp's name holds requirements.txt's checksum: a new list is a new stamp. No file time
# decides it (a clone or a checkout makes requirements.txt newer than the stamp, unchanged).
$(STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed (set PYTHON=...)")'
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --requirement requirements.txt
	touch $@

serve: $(STAMP)
	$(BIN)/invoke serve --port $(PORT)

build: $(STAMP)
	$(BIN)/invoke build

# axe-core for the accessibility tests, pinned by tests/browser/package-lock.json.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package-lock.json
	@if command -v npm >/dev/null; then cd tests/browser && npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: the accessibility tests will be skipped"; fi

test: $(STAMP) $(AXE)
	$(BIN)/invoke test

publish: $(STAMP)
	$(BIN)/invoke publish

# The same as `invoke clean`: one list of what builds leave, in tasks.py.
clean: $(STAMP)
	$(BIN)/invoke clean
