# Two set-up commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST_WORKERS ?= 2

.PHONY: install system-deps run test lint bench fuzz clean package package-test lock

# Exact versions from the lock (reproducible on every machine and in CI), then the project itself.
$(STAMP): pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## The Debian/Ubuntu packages the suite needs (PostgreSQL, age, poppler, zbar, fonts, Qt libraries);
## uses sudo when not root. `.ci/run` calls this target too.
system-deps:
	bash tools/system_packages.sh

## Start the desk on the embedded SQLite database in the user data directory.
run: install
	$(PY) main.py

## The whole suite: unit, storage on SQLite and PostgreSQL, bundles, forms, GUI (offscreen), layers, lint.
test: install
	@bash tools/system_packages.sh --check
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadgroup

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

## Benchmarks (100k cases etc.); prints each figure beside a reference measured in the same run.
bench: install
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

## Long fuzzing runs (minutes); the suite only runs a short smoke of each harness.
fuzz: install
	$(PY) -m fuzz --seconds $${FUZZ_SECONDS:-600}

## Installer: PyInstaller onedir + .deb (dpkg-deb, gzip) in build/; figures in build/package-report.json.
package: install
	$(PY) installer/build.py package

## Build, install the .deb into a scratch prefix (dpkg -x), self-test it offscreen, start the desk,
## remove the prefix; fails when the installed size is over 200 MB. Needs libicu-dev, g++ and
## pkg-config (PyICU is compiled against Debian's ICU for the .deb) and dpkg.
package-test: install
	QT_QPA_PLATFORM=offscreen $(PY) installer/build.py package-test --enforce-size

## Re-resolve the lock files after a change of ranges in pyproject.toml (pip-tools: keeps every
## pin it can; `make lock UPGRADE=1` moves every package to the newest release in its range).
lock: install
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		$(if $(UPGRADE),--upgrade) --extra dev -o requirements-dev.lock pyproject.toml
	# The dev extra names the project itself, which pip-compile pins as a file:// URL of this
	# checkout: drop it (make install adds the project with --no-deps -e .).
	sed -i '/^repatriation-desk @ file:/,+1d' requirements-dev.lock
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		$(if $(UPGRADE),--upgrade) -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
