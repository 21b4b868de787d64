"""The code uses Dagster's public API only, and no module plants settings in os.environ.

Dagster's `dagster._*` modules change without notice between releases; configuration is
passed (resources, run config, an explicit instance folder), never written to the process's
environment for another module to read back.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
CODE = sorted(
    path for folder in ("pipelines", "dashboards") for path in (ROOT / folder).rglob("*.py")
)

RULES = {
    "imports a private Dagster module": re.compile(
        r"^\s*(from\s+dagster\._|import\s+dagster\._)", re.MULTILINE
    ),
    "writes the environment": re.compile(
        r"os\.environ\s*\[[^\]]*\]\s*=(?!=)"
        r"|os\.environ\.(update|setdefault|pop|clear)\s*\("
        r"|\bdel\s+os\.environ\b"
        r"|\b(os\.)?(putenv|unsetenv)\s*\("
    ),
}

# Lines each rule must catch, and lines it must let through, so that it is known to bite.
CAUGHT = {
    "imports a private Dagster module": [
        "from dagster._core.storage.tags import RUN_KEY_TAG",
        "    from dagster._vendored.croniter import croniter",
        "import dagster._check as check",
    ],
    "writes the environment": [
        'os.environ["DAGSTER_HOME"] = str(home)',
        "os.environ[CONTENT_ENV] = str(content_dir)",
        "os.environ.update(env)",
        'os.environ.setdefault("X", "1")',
        'os.putenv("X", "1")',
        'del os.environ["X"]',
    ],
}
PASSED = [
    "import dagster as dg",
    'logging.getLogger("dagster._core.execution.plan.active")',
    'os.environ.get("NEWSDW_CONTENT_DIR")',
    'if os.environ["X"] == "1":',
    "env = {**os.environ, CONTENT_ENV: str(content)}",
]


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_catches_what_it_names(rule: str) -> None:
    assert all(RULES[rule].search(line) for line in CAUGHT[rule])
    assert not any(RULES[rule].search(line) for line in PASSED)


@pytest.mark.parametrize("rule", RULES)
def test_no_module_breaks_the_rule(rule: str) -> None:
    assert len(CODE) > 20  # the folders were found
    found = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in CODE
        for text in [path.read_text()]
        for match in RULES[rule].finditer(text)
    ]
    assert found == [], f"{rule}: {found}"
