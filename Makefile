# The two set-up commands of the README:
#   make book   create .venv, install gdl with its extras, build the website into _build/html
#   make test   create .venv, install gdl with its extras, run the tests (package, tangle, notebooks)
# TORCH_SPEC chooses the torch wheel (CI sets the CPU build, see .ci/run).
VENV ?= .venv
PY := $(VENV)/bin/python
TORCH_SPEC ?= torch>=2.2
# Extra pytest arguments, e.g. PYTEST_ARGS="-n 2 --dist loadfile" to spread the files over two
# workers (pytest-xdist; loadfile keeps each notebook's cells on one worker, in order).
PYTEST_ARGS ?=
BOOK_FLAGS := -W -n --keep-going

.PHONY: book test install book-noexec tangle lint clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "$(TORCH_SPEC)"
	$(PY) -m pip install --quiet -e ".[book,test]"
	# torch-harmonics, the peer of gdl.spheres, pins a newer torch in its metadata: install it without deps
	$(PY) -m pip install --quiet --no-deps "torch-harmonics>=0.8"
	touch $@

install: $(VENV)/.installed

book: install
	$(VENV)/bin/jupyter-book build . $(BOOK_FLAGS)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# The -W build with notebook execution turned off: CI uses it after nbval has run every chapter.
# The config is written into _build/, so the local extensions' paths are made relative to it.
book-noexec: install
	mkdir -p _build
	$(PY) -c "import yaml; c = yaml.safe_load(open('_config.yml')); c['execute']['execute_notebooks'] = 'off'; ext = c['sphinx']['local_extensions']; ext.update({k: '../' + v for k, v in ext.items()}); yaml.safe_dump(c, open('_build/_config_noexec.yml', 'w'))"
	$(VENV)/bin/jupyter-book build . $(BOOK_FLAGS) --config _build/_config_noexec.yml

tangle: install
	$(PY) tools/tangle.py

# What the pre-commit hooks run (.pre-commit-config.yaml); `make test` runs both as well.
lint: install
	$(VENV)/bin/ruff check .
	$(PY) tools/tangle.py --check

clean:
	rm -rf _build
