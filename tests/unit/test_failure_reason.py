"""The one line `newsdw build` prints for a failed step names the error, not a link or a hint."""

from __future__ import annotations

import pytest

from pipelines.build import error_headline

# As DuckDB words it, and as Python's traceback module writes the exception's message.
DUCKDB_OUT_OF_MEMORY = """\
_duckdb.OutOfMemoryException: Out of Memory Error: failed to allocate data of size 16.0 MiB \
(938.0 MiB/953.6 MiB used)

Possible solutions:
* Reducing the number of threads (SET threads=X)
* Disabling insertion-order preservation (SET preserve_insertion_order=false)
* Increasing the memory limit (SET memory_limit='...GB')

See also https://duckdb.org/docs/current/guides/performance/how_to_tune_workloads
"""


@pytest.mark.parametrize(
    ("cls_name", "message", "line"),
    [
        (
            "OutOfMemoryException",
            DUCKDB_OUT_OF_MEMORY,
            "Out of Memory Error: failed to allocate data of size 16.0 MiB "
            "(938.0 MiB/953.6 MiB used); raise NEWSDW_DUCKDB_MEMORY (now 1GB)",
        ),
        (  # a model's error that quotes DuckDB's
            "ModelError",
            "pipelines.models.catalog.ModelError: /w/sql/marts/story_items.sql: Out of Memory "
            "Error: could not allocate block of size 256.0 KiB (9.3 MiB/9.5 MiB used)\n",
            "/w/sql/marts/story_items.sql: Out of Memory Error: could not allocate block of size "
            "256.0 KiB (9.3 MiB/9.5 MiB used); raise NEWSDW_DUCKDB_MEMORY (now 1GB)",
        ),
        (
            "BinderException",
            '_duckdb.BinderException: Binder Error: Referenced column "nope" not found\n\n'
            "LINE 1: select nope from raw.articles\n               ^\n",
            'Binder Error: Referenced column "nope" not found',
        ),
        (  # a builtin keeps its name, which may be all there is to say
            "OSError",
            "OSError: [Errno 28] No space left on device: '/w/newsdw.duckdb'\n",
            "OSError: [Errno 28] No space left on device: '/w/newsdw.duckdb'",
        ),
        ("KeyError", "KeyError: 'articles'\n", "KeyError: 'articles'"),
        ("RuntimeError", "\n\n", "RuntimeError"),
    ],
    ids=["duckdb-oom", "model-quoting-it", "duckdb-binder", "os-error", "key-error", "empty"],
)
def test_the_line_says_what_went_wrong(cls_name: str, message: str, line: str) -> None:
    assert error_headline(cls_name, message, memory="1GB") == line
