# The two commands of the README: `make run` and `make test`.
# `make run PORT=8011` (or `PORT=8011 make run`) serves on another port.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8000

.PHONY: run test install lint bench clean shell

$(STAMP): pyproject.toml
	@echo "switchboard: installing into $(VENV): the first time takes several minutes" \
	    "(Chroma, the sentence encoder, the test tools); later runs skip this step"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "switchboard: [1/2] upgrading pip"
	@$(PY) -m pip install --quiet --upgrade pip
	@echo "switchboard: [2/2] installing switchboard and its dependencies (pip install -e '.[dev]')..."
	@$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)
	@echo "switchboard: installed; the command is $(VENV)/bin/switchboard (or: make shell)"

install: $(STAMP)

run: install
	$(VENV)/bin/switchboard run --port $(PORT)

# A shell with .venv/bin first on PATH, so `switchboard ...` works; `exit` to leave.
shell: install
	@echo "switchboard: a shell with $(VENV)/bin on PATH; type exit to leave"
	@PATH="$(CURDIR)/$(VENV)/bin:$$PATH" VIRTUAL_ENV="$(CURDIR)/$(VENV)" $${SHELL:-/bin/sh} -i

test: install
	bash scripts/test.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy channels flows knowledge gateway

bench: install
	bash scripts/bench.sh

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
