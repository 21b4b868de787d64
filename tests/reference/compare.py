"""Row-by-row comparison of a warehouse table against its reference computation."""

from __future__ import annotations

import polars as pl

REL_TOL = 1e-9
_SHOWN = 5
_ACTUAL = "__actual"
_DIFF = "__differs"


def assert_same_rows(
    actual: pl.DataFrame, expected: pl.DataFrame, key: list[str], name: str
) -> None:
    """Raise AssertionError unless `actual` holds `expected`'s rows on `expected`'s columns."""
    actual = _conform(actual, expected, name)
    for label, frame in (("actual", actual), ("expected", expected)):
        repeated = frame.filter(pl.struct(key).is_duplicated()).select(key).unique().sort(key)
        if repeated.height:
            raise AssertionError(f"{name}: {label} repeats keys {key}: {_keys_text(repeated)}")

    values = [c for c in expected.columns if c not in key]
    missing = expected.join(actual, on=key, how="anti", nulls_equal=True).select(key).sort(key)
    extra = actual.join(expected, on=key, how="anti", nulls_equal=True).select(key).sort(key)
    both = expected.join(
        actual.rename({c: c + _ACTUAL for c in values}), on=key, nulls_equal=True
    ).with_columns(
        _differs(pl.col(c), pl.col(c + _ACTUAL), expected.schema[c]).alias(c + _DIFF)
        for c in values
    )
    differing = both.filter(pl.any_horizontal([pl.lit(False)] + [c + _DIFF for c in values]))
    if not (missing.height or extra.height or differing.height):
        return

    lines = [
        f"{name}: {differing.height} of {both.height} matched rows differ, "
        f"{missing.height} expected keys missing, {extra.height} unexpected keys"
    ]
    if missing.height:
        lines.append(f"  missing from actual: {_keys_text(missing)}")
    if extra.height:
        lines.append(f"  unexpected in actual: {_keys_text(extra)}")
    for row in differing.sort(key).head(_SHOWN).iter_rows(named=True):
        lines.append(f"  at {_key_text({k: row[k] for k in key})}:")
        lines += [
            f"    {c}: expected {row[c]!r}, actual {row[c + _ACTUAL]!r}"
            for c in values
            if row[c + _DIFF]
        ]
    raise AssertionError("\n".join(lines))


def _conform(actual: pl.DataFrame, expected: pl.DataFrame, name: str) -> pl.DataFrame:
    """Actual's columns of expected's names, cast only between types of the same kind."""
    missing = [c for c in expected.columns if c not in actual.columns]
    if missing:
        raise AssertionError(f"{name}: actual lacks columns {missing}")
    columns = []
    for column, want in expected.schema.items():
        have = actual.schema[column]
        if have != want and have != pl.Null and not _same_kind(have, want):
            raise AssertionError(f"{name}: column {column} is {have}, expected {want}")
        # DuckDB may widen a count (HUGEINT) or type an all-NULL column as Null.
        columns.append(pl.col(column).cast(want, strict=True))
    return actual.select(columns)


def _same_kind(have: pl.DataType, want: pl.DataType) -> bool:
    """Whether two types differ only in width or time unit."""
    if have.is_integer() and want.is_integer():
        return True
    if have.is_float() and want.is_float():
        return True
    if isinstance(have, pl.Datetime) and isinstance(want, pl.Datetime):
        return have.time_zone == want.time_zone
    return False


def _differs(expected: pl.Expr, actual: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """True where two values differ; NULL equals NULL, floats within a relative tolerance."""
    if not dtype.is_float():
        return expected.ne_missing(actual)
    scale = pl.max_horizontal(expected.abs(), actual.abs())
    close = (expected == actual) | ((expected - actual).abs() <= REL_TOL * scale)
    same = (
        (expected.is_null() & actual.is_null())
        | (expected.is_nan() & actual.is_nan()).fill_null(False)
        | close.fill_null(False)
    )
    return ~same


def _keys_text(keys: pl.DataFrame) -> str:
    """The first few keys of a frame of keys, and how many more there are."""
    shown = ", ".join(_key_text(row) for row in keys.head(_SHOWN).iter_rows(named=True))
    more = keys.height - _SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def _key_text(row: dict) -> str:
    """A key as `(a=1, b='x')`."""
    return "(" + ", ".join(f"{k}={v!r}" for k, v in row.items()) + ")"
