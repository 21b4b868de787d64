# The README's two commands. uv comes from PyPI into .tools/ when it is not on PATH.
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)

.PHONY: run test sync lint

run: sync
	$(UV) run --frozen newsdw build

test: sync lint
	$(UV) run --frozen pytest

lint: sync
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

sync: $(UV)
	$(UV) sync --frozen

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv
