# The README's two commands. uv comes from PyPI into .tools/ when it is not on PATH.
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)

# Browser tests drive Debian's Chromium; it is installed where missing (sudo when not root).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test sync lint chromium servers

run: sync
	$(UV) run --frozen newsdw build

test: sync lint chromium servers
	$(UV) run --frozen pytest -n auto --dist loadfile

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The cluster tests start Debian's PostgreSQL and Redis servers on the loopback interface.
servers:
	@{ ls /usr/lib/postgresql/*/bin/initdb && command -v redis-server; } >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server; }

lint: sync
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

# Byte-compiled once here: where PYTHONDONTWRITEBYTECODE is set, every process would otherwise
# compile Dagster's and Plotly's modules again (about 2 s for Plotly's figure classes alone).
sync: $(UV)
	$(UV) sync --frozen --compile-bytecode

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv
