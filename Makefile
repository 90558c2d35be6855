# The two commands of a fresh clone:  make chat  (set up + start the terminal chat)
#                                     make test  (set up + run the tests)
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
export HF_HUB_OFFLINE = 1
export TRANSFORMERS_OFFLINE = 1
export LANCE_LOG = error

.PHONY: setup chat test bench bench-quality bench-chat bench-nlu catalog clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

chat: setup
	$(VENV)/bin/moodtape chat

test: setup
	-bash scripts/setup-test-deps.sh
	$(PY) -m pytest -p no:cacheprovider tests

bench: setup
	$(PY) -m benchmarks.core
	$(PY) -m benchmarks.quality

bench-quality: setup
	$(PY) -m benchmarks.quality

catalog: setup
	$(PY) scripts/train_mood_head.py
	$(PY) scripts/build_builtin_catalog.py

clean:
	rm -rf $(VENV) .pytest_cache
