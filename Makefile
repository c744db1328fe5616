# Every target creates .venv from nothing when it is missing.
VENV      := .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.installed
SERVICE   := com.amazonaws.ssm\#AmazonSSM
PACKAGE   := ssm_inventory
MODEL     := $(sort $(wildcard model/*.smithy))
# The four distributions, one folder each (see pyproject.toml).
DISTS     := runtime codegen emulator generated
PROJECTS  := pyproject.toml $(addsuffix /pyproject.toml,$(DISTS))

.PHONY: all venv generate check lint typecheck drift test test-matrix demo bench dist docs clean

all: test

$(STAMP): $(PROJECTS) scripts/find-python
	@python=$$(scripts/find-python) || exit 1; \
	  if [ ! -x $(PY) ]; then echo "creating $(VENV) with $$python"; "$$python" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade 'pip>=25.1'
	$(PY) -m pip install --quiet $(addprefix -e ./,$(DISTS)) --group dev
	@# The source roots on sys.path too, so packages generated after this install
	@# (new folders under generated/) import without reinstalling.
	@$(PY) -c 'import sysconfig, pathlib; pathlib.Path(sysconfig.get_paths()["purelib"], "ssm_inventory_src.pth").write_text("".join(f"{pathlib.Path(d).resolve()}\n" for d in ("generated", "runtime", "codegen", "emulator")))'
	@touch $@

venv: $(STAMP)

# generated/ is the whole ssm-inventory project: pyproject.toml, README.md,
# LICENSE and the package, all written by smithygen.
generate: $(STAMP)
	$(VENV)/bin/smithygen generate $(MODEL) --service '$(SERVICE)' --package $(PACKAGE) --distribution ssm-inventory --out generated

lint: $(STAMP)
	$(VENV)/bin/ruff check codegen runtime emulator examples tests bench scripts/test-matrix
	$(VENV)/bin/ruff format --check codegen runtime emulator examples tests bench scripts/test-matrix

# Runtime, generated code, emulator and examples support Python 3.11; the
# generator needs 3.12.
typecheck: $(STAMP)
	$(VENV)/bin/mypy --python-version 3.11 runtime/smithygen_runtime generated/$(PACKAGE) emulator/ssm_emulator examples
	$(VENV)/bin/mypy --python-version 3.12 codegen/smithygen

# generated/ must be exactly what the current model and generator produce.
drift: $(STAMP)
	@tmp=$$(mktemp -d); \
	  $(VENV)/bin/smithygen generate $(MODEL) --service '$(SERVICE)' --package $(PACKAGE) --distribution ssm-inventory --out $$tmp >/dev/null || exit 1; \
	  if diff -r -x __pycache__ -x '*.egg-info' -x build $$tmp generated; then echo "generated/ is in sync with model/"; rm -rf $$tmp; \
	  else echo "generated/ differs from what model/ produces: run 'make generate'" >&2; rm -rf $$tmp; exit 1; fi

check: lint typecheck drift

test: $(STAMP)
	$(PY) -m pytest

# The runtime, generated-client, emulator and example tests on every Python
# >= 3.11 that scripts/find-python finds, each in its own .venv-matrix/X.Y.
# MATRIX_ARGS=--except-running-python leaves out .venv's own version (.ci/run:
# make test has just run everything there).
test-matrix: $(STAMP)
	$(PY) scripts/test-matrix $(MATRIX_ARGS)

demo: $(STAMP)
	$(PY) examples/demo.py

bench: $(STAMP)
	$(PY) -m bench

# Wheels and sdists of the four distributions, built without build isolation
# (from .venv's setuptools) so no index is needed.
dist: $(STAMP)
	rm -rf dist
	@for d in $(DISTS); do \
	  $(PY) -m build --no-isolation --sdist --wheel --outdir dist $$d >/dev/null || exit 1; \
	  rm -rf $$d/build $$d/*.egg-info; \
	done
	@ls -1 dist

# HTML API reference of ssm_inventory and smithygen_runtime in build/docs
# (mkdocs.yml: strict, so a broken reference fails the build).
docs: $(STAMP)
	$(VENV)/bin/mkdocs build --quiet
	@echo "API reference: build/docs/index.html"

clean:
	rm -rf $(VENV) .venv-matrix build dist .pytest_cache .mypy_cache .ruff_cache
	rm -rf $(addsuffix /build,$(DISTS)) $(addsuffix /*.egg-info,$(DISTS))

# Generate, type-check and import every official model in a folder (for example
# a checkout of github aws/api-models-aws); prints counts per protocol.
.PHONY: models-check
MODELS_DIR ?= ../shared/aws-models
models-check: $(STAMP)
	$(PY) -m smithygen.models_check $(MODELS_DIR)
