# The course's commands. Each sets up .venv first (once, and again when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PROXY := deploy/node_modules/.package-lock.json
# Python keeps compiled modules (and pytest its assertion-rewritten tests) in __pycache__/,
# git-ignored. Where the environment sets PYTHONDONTWRITEBYTECODE (as the CI machine does),
# every process compiles them again: ~2 s per pytest process, ~0.1 s per kernel.
unexport PYTHONDONTWRITEBYTECODE
# JupyterLab refuses to start as root unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab present reset author test chromium chromium-headless-shell notebooks build bench hub bench-class lint format clean

.PRECIOUS: $(VENV)/.installed-%
# One stamp per extra of pyproject.toml (lab, build, test): each target installs what it uses.
$(VENV)/.installed-%: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$*]"
	touch $@

# Students work in work/ (ignored by git), brought up to date with notebooks/ at each start.
lab: $(VENV)/.installed-lab  ## open the course in JupyterLab, on your own copy in work/
	$(BIN)/python tools/student_copy.py lab $(ROOT_FLAG)

# Presenting live: RISE slideshows in the classic notebook (nbclassic), whose widget manager
# renders the sliders on the slides (jupyterlab-rise does not). tools/present/ holds RISE's
# settings: a theme with local fonts (the default theme fetches web fonts), tall slides scroll.
present: $(VENV)/.installed-lab  ## present live: your copy in work/, slideshow with alt-r, sliders working
	$(BIN)/python tools/student_copy.py sync
	JUPYTER_CONFIG_PATH=$(CURDIR)/tools/present$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH} \
	  $(BIN)/jupyter nbclassic --ServerApp.root_dir=work $(ROOT_FLAG)

reset: $(VENV)/.installed-lab  ## the course's version of one notebook again: make reset NB=05
	$(BIN)/python tools/student_copy.py reset $(NB)

author: $(VENV)/.installed-lab  ## edit the course: JupyterLab on the tracked notebooks/ pairs
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(ROOT_FLAG)

test: $(VENV)/.installed-test chromium-headless-shell $(PROXY)  ## every test: unit, property, notebooks (nbval), browser, hub, lint
	$(BIN)/python -m pytest

# Browsers from Debian, never one downloaded by a test tool: the tests drive its headless
# shell (the same Blink without the desktop browser: ~10 % less CPU for the whole suite), the
# benchmark its chromium (what a person uses). Each is installed when missing.
chromium chromium-headless-shell:
	@command -v $@ >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $@; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq $@; fi; }

notebooks: $(VENV)/.installed-build  ## re-create and re-execute every notebook from its .py source
	$(BIN)/python tools/run_notebooks.py

build: $(VENV)/.installed-build  ## render build/_site (students) and build/_site-instructor (solutions, decks)
	$(BIN)/python build/build.py

# FULL=1 also times make test (minutes); SITE=<dir> measures that built site instead of building.
bench: $(VENV)/.installed-test chromium chromium-headless-shell  ## measure speed against the targets; writes bench/results.md
	$(BIN)/python bench/run.py $(if $(FULL),--full) $(if $(SITE),--site $(SITE))

# The hub's configurable-http-proxy, from npm's lock file into deploy/node_modules (git-ignored).
$(PROXY): deploy/package-lock.json
	npm ci --prefix deploy --no-audit --no-fund
	touch $@

HUB_BRANCH = $(shell git rev-parse --abbrev-ref HEAD)
hub: $(VENV)/.installed-hub $(PROXY)  ## try the course's JupyterHub (deploy/) on http://127.0.0.1:8000
	@echo "Log in with any name and the password $${COURSE_HUB_PASSWORD:-course-trial}; the course, by nbgitpuller:"
	@echo "http://127.0.0.1:$${COURSE_HUB_PORT:-8000}/hub/user-redirect/git-pull?repo=file://$(CURDIR)&branch=$(HUB_BRANCH)&targetpath=course&urlpath=lab/tree/course/notebooks/01_data.ipynb"
	COURSE_HUB_PASSWORD=$${COURSE_HUB_PASSWORD:-course-trial} exec $(BIN)/jupyterhub -f deploy/jupyterhub_config.py

bench-class: $(VENV)/.installed-test $(PROXY)  ## how many students one server holds; bench/results.md
	$(BIN)/python bench/class_load.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
