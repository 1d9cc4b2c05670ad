# Needs only Python 3.11+ and make. `make run` and `make test` set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SCENARIO ?= scenarios/jiuquan_2019.yaml

.PHONY: setup run test bench weather clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/python run.py $(SCENARIO)

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/bench_sweep.py
	$(BIN)/python bench/bench_aggregation.py

weather: setup
	$(BIN)/python data/make_weather.py

clean:
	rm -rf $(VENV) results .pytest_cache
