# Innoteka: set-up and everyday commands. `make run` and `make test` are all a
# fresh machine needs (Python 3.11 and GNU gettext must be installed).

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test lint format messages compilemessages bench clean

run: setup
	@echo "Иннотека: http://$(HOST):$(PORT)/"
	$(PY) manage.py runserver $(HOST):$(PORT)

setup: $(VENV)/.installed .env compilemessages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

test: $(VENV)/.installed .env compilemessages
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.installed
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Collect new strings; the English catalogue repeats the English source.
messages: $(VENV)/.installed .env
	$(PY) manage.py makemessages -l ru -l en --no-obsolete \
		--ignore=.venv --ignore=static --ignore=tests --ignore=bench
	msgattrib --clear-fuzzy --empty locale/en/LC_MESSAGES/django.po \
		-o locale/en/LC_MESSAGES/django.po
	msgen locale/en/LC_MESSAGES/django.po -o locale/en/LC_MESSAGES/django.po

compilemessages: $(VENV)/.installed .env
	$(PY) manage.py compilemessages --ignore=.venv -v 0

# The catalogue benchmark on the local PostgreSQL (see bench/__main__.py).
bench: $(VENV)/.installed .env compilemessages
	$(PY) -m bench

# The partnerships benchmark on the same database (see bench/partnerships.py).
.PHONY: bench-partnerships
bench-partnerships: $(VENV)/.installed .env compilemessages
	$(PY) -m bench partnerships

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# Local development settings; production sets real environment variables.
.env:
	printf 'DEBUG=1\n' > .env

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles
