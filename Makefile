# Needs only Python 3.11+ and make. `make run` and `make test` set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SCENARIO ?= scenarios/gansu_2019.yaml

.PHONY: setup run test lint lock bench weather clean browser

# Exactly the versions CI tested (requirements.lock), whatever the ranges in pyproject.toml allow.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[all,test,pypsa]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/hexi run $(SCENARIO)

# The report pages are tested in a real browser: Chromium from Debian's packages (CI runs as root).
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

test: setup lint browser
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check .

# After changing dependencies: the tested venv's versions become the lock.
lock: setup
	( sed -n '1,2p' requirements.lock; $(BIN)/python -m pip freeze --exclude-editable \
	  | grep -v '^pip==\|^setuptools==' ) > requirements.lock.new && mv requirements.lock.new requirements.lock

bench: setup
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/bench_memory.py
	$(BIN)/python bench/bench_sweep.py
	$(BIN)/python bench/bench_aggregation.py

weather: setup
	$(BIN)/python data/make_weather.py

clean:
	rm -rf $(VENV) results .pytest_cache
