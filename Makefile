# Every target creates .venv from nothing when it is missing.
VENV      := .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.installed
SERVICE   := com.amazonaws.ssm\#AmazonSSM
PACKAGE   := ssm_inventory
MODEL     := $(sort $(wildcard model/*.smithy))

.PHONY: all venv generate check lint typecheck drift test demo bench clean

all: test

$(STAMP): pyproject.toml scripts/find-python
	@python=$$(scripts/find-python) || exit 1; \
	  if [ ! -x $(PY) ]; then echo "creating $(VENV) with $$python"; "$$python" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@# The source roots on sys.path too, so packages generated after this install
	@# (new folders under generated/) import without reinstalling.
	@$(PY) -c 'import sysconfig, pathlib; pathlib.Path(sysconfig.get_paths()["purelib"], "ssm_inventory_src.pth").write_text("".join(f"{pathlib.Path(d).resolve()}\n" for d in ("generated", "runtime", "codegen", "emulator")))'
	@touch $@

venv: $(STAMP)

generate: $(STAMP)
	$(VENV)/bin/smithygen generate $(MODEL) --service '$(SERVICE)' --package $(PACKAGE) --out generated

lint: $(STAMP)
	$(VENV)/bin/ruff check codegen runtime emulator examples tests bench
	$(VENV)/bin/ruff format --check codegen runtime emulator examples tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy codegen/smithygen runtime/smithygen_runtime generated/$(PACKAGE) emulator/ssm_emulator examples

# generated/ must be exactly what the current model and generator produce.
drift: $(STAMP)
	@tmp=$$(mktemp -d); \
	  $(VENV)/bin/smithygen generate $(MODEL) --service '$(SERVICE)' --package $(PACKAGE) --out $$tmp >/dev/null || exit 1; \
	  if diff -r -x __pycache__ $$tmp/$(PACKAGE) generated/$(PACKAGE); then echo "generated/ is in sync with model/"; rm -rf $$tmp; \
	  else echo "generated/$(PACKAGE) differs from what model/ produces: run 'make generate'" >&2; rm -rf $$tmp; exit 1; fi

check: lint typecheck drift

test: $(STAMP)
	$(PY) -m pytest

demo: $(STAMP)
	$(PY) examples/demo.py

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache

# Generate, type-check and import every official model in a folder (for example
# a checkout of github aws/api-models-aws); prints counts per protocol.
.PHONY: models-check
MODELS_DIR ?= ../shared/aws-models
models-check: $(STAMP)
	$(PY) -m smithygen.models_check $(MODELS_DIR)
