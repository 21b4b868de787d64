"""Functions the SQL models call that DuckDB does not have: registered on the build's connection.

`connected_components(sources, targets, nodes)` labels the nodes `0 .. nodes-1` of an
undirected graph given as two lists of edge ends, and returns the list of labels (position
`i` holds node `i`'s): nodes with the same label are connected. A query aggregates the
edges into one row, calls it once, and unnests the labels. scipy's union of the edges runs in
C: the 1.8 million edges of a million articles take 0.7 s, against 2.3 s for a union-find
in Python and 12.4 s for label propagation in a recursive CTE (bench/stories.py, which still
compares them; the stories now use scipy's components inside `story_cores`).

`story_cores(sources, targets, times, tokens, hours, similarity)` cuts each connected group of
the same graph into cohesive stories (contract, Stories). `times` holds each node's time
(epoch microseconds) and `tokens` its title's story tokens. In rounds: each group's core is
its node with the most edges in the group (tie: the earliest time, then the smallest node);
a node joins the core's story when its title's Jaccard index with the core's is at least
`similarity` and it is at most `hours` from the core; of those, the story keeps the `hours`
window that holds the core and the most of them (tie: the earliest). The nodes left out are
the next round's graph (the edges among them), until no edge is left; a node without one is a
story of its own. It returns two lists: each node's core (its story) and its group (the
smallest node of its connected group), so a chain A-B-C of two events through a shared B is
cut at the core, never joined end to end.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components as _components

_LABELS = pa.list_(pa.int64())


def connected_components(sources: pa.ChunkedArray, targets: pa.ChunkedArray, nodes) -> pa.Array:
    """One list of component labels per row of (edge sources, edge targets, node count)."""
    out = []
    for row in range(len(nodes)):
        count = nodes[row].as_py()
        if count is None:
            out.append(None)
            continue
        a = pc.list_flatten(sources[row : row + 1]).to_numpy(zero_copy_only=False)
        b = pc.list_flatten(targets[row : row + 1]).to_numpy(zero_copy_only=False)
        if len(a) != len(b):
            raise ValueError("connected_components: the two edge lists differ in length")
        if len(a) and (min(a.min(), b.min()) < 0 or max(a.max(), b.max()) >= count):
            raise ValueError(f"connected_components: an edge end lies outside 0..{count - 1}")
        graph = coo_array((np.ones(len(a), dtype=np.int8), (a, b)), shape=(count, count))
        _, labels = _components(graph.tocsr(), directed=False)
        out.append(labels.astype(np.int64))
    return pa.array(out, type=_LABELS)


_US_PER_HOUR = 3_600_000_000


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For runs (start, length): each element's run number and its position in the flat array."""
    run = np.repeat(np.arange(len(lengths)), lengths)
    first = np.cumsum(lengths) - lengths
    return run, starts[run] + np.arange(len(run)) - first[run]


def _jaccard_hits(
    left: np.ndarray, right: np.ndarray, offsets: np.ndarray, ids: np.ndarray, limit: float
) -> np.ndarray:
    """Whether node left[k]'s and node right[k]'s token sets have a Jaccard index >= limit."""
    sizes = offsets[1:] - offsets[:-1]
    vocabulary = int(ids.max()) + 1 if len(ids) else 1
    run_l, at_l = _ranges(offsets[left], sizes[left])
    run_r, at_r = _ranges(offsets[right], sizes[right])
    keys_l = run_l * vocabulary + ids[at_l]
    keys_r = run_r * vocabulary + ids[at_r]
    shared = np.bincount(run_l[np.isin(keys_l, keys_r)], minlength=len(left))
    union = sizes[left] + sizes[right] - shared
    return (shared > 0) & (shared >= limit * union - 1e-9)


def _keep_window(members: np.ndarray, cores: np.ndarray, times: np.ndarray, span: int):
    """Of each core's members, whether it lies in the span holding the core and most members."""
    keep = np.ones(len(members), dtype=bool)
    order = np.lexsort((times[members], cores))
    sorted_cores = cores[order]
    starts = np.flatnonzero(np.r_[True, sorted_cores[1:] != sorted_cores[:-1]])
    ends = np.r_[starts[1:], len(order)]
    first = times[members[order[starts]]]
    last = times[members[order[ends - 1]]]
    wide = last - first > span
    for start, end in zip(starts[wide], ends[wide], strict=True):
        rows = order[start:end]
        t = times[members[rows]]
        core_time = times[cores[rows[0]]]
        reach = np.searchsorted(t, t + span, side="right")
        count = np.where((t <= core_time) & (core_time <= t + span), reach - np.arange(len(t)), -1)
        best = int(np.argmax(count))
        inside = np.zeros(len(t), dtype=bool)
        inside[best : reach[best]] = True
        keep[rows] = inside
    return keep


def story_cores(
    sources: np.ndarray,
    targets: np.ndarray,
    times: np.ndarray,
    offsets: np.ndarray,
    ids: np.ndarray,
    hours: float,
    similarity: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Each node's story core and group (see the module docstring), on numpy arrays.

    Nodes are 0..len(times)-1; `times` in epoch microseconds (a node without a time is never
    within reach of a core); node i's token ids are ids[offsets[i]:offsets[i + 1]].
    """
    count = len(times)
    span = int(hours * _US_PER_HOUR)
    timed = times != np.iinfo(np.int64).min
    cores = np.arange(count, dtype=np.int64)
    alive = np.ones(count, dtype=bool)
    groups = None
    while True:
        live = alive[sources] & alive[targets]
        a, b = sources[live], targets[live]
        if not len(a):
            break
        graph = coo_array((np.ones(len(a), dtype=np.int8), (a, b)), shape=(count, count))
        _, labels = _components(graph.tocsr(), directed=False)
        if groups is None:
            smallest = np.full(labels.max() + 1, count, dtype=np.int64)
            np.minimum.at(smallest, labels, np.arange(count))
            groups = smallest[labels]
        degree = np.bincount(a, minlength=count) + np.bincount(b, minlength=count)
        nodes = np.flatnonzero(degree > 0)
        when = np.where(timed[nodes], times[nodes], np.iinfo(np.int64).max)
        order = nodes[np.lexsort((nodes, when, -degree[nodes], labels[nodes]))]
        heads = order[np.r_[True, labels[order][1:] != labels[order][:-1]]]
        core_of = np.empty(labels.max() + 1, dtype=np.int64)
        core_of[labels[heads]] = heads
        core = core_of[labels[nodes]]
        near = timed[nodes] & timed[core] & (np.abs(times[nodes] - times[core]) <= span)
        ok = (nodes == core) | (near & _jaccard_hits(nodes, core, offsets, ids, similarity))
        joined = np.flatnonzero(ok)
        joined = joined[_keep_window(nodes[joined], core[joined], times, span)]
        cores[nodes[joined]] = core[joined]
        alive[nodes[joined]] = False
    if groups is None:
        groups = np.arange(count, dtype=np.int64)
    return cores, groups


def story_cores_udf(
    sources: pa.ChunkedArray,
    targets: pa.ChunkedArray,
    times: pa.ChunkedArray,
    tokens: pa.ChunkedArray,
    hours,
    similarity,
) -> pa.Array:
    """One [cores, groups] pair of lists per row of (edge lists, node times, node tokens)."""
    out = []
    for row in range(len(times)):
        node_times = times[row : row + 1]
        if node_times[0].as_py() is None:
            out.append(None)
            continue
        t = pc.list_flatten(node_times)
        t = pc.fill_null(t.cast(pa.int64()), np.iinfo(np.int64).min).to_numpy()
        a = pc.list_flatten(sources[row : row + 1]).to_numpy(zero_copy_only=False)
        b = pc.list_flatten(targets[row : row + 1]).to_numpy(zero_copy_only=False)
        if len(a) != len(b):
            raise ValueError("story_cores: the two edge lists differ in length")
        if len(a) and (min(a.min(), b.min()) < 0 or max(a.max(), b.max()) >= len(t)):
            raise ValueError(f"story_cores: an edge end lies outside 0..{len(t) - 1}")
        lists = pc.list_flatten(tokens[row : row + 1])
        if isinstance(lists, pa.ChunkedArray):
            lists = lists.combine_chunks()
        sizes = pc.fill_null(pc.list_value_length(lists), 0).to_numpy(zero_copy_only=False)
        offsets = np.r_[0, np.cumsum(sizes)].astype(np.int64)
        words = pc.list_flatten(lists)
        ids = pc.dictionary_encode(words).indices.to_numpy(zero_copy_only=False).astype(np.int64)
        cores, groups = story_cores(
            a.astype(np.int64), b.astype(np.int64), t, offsets, ids,
            float(hours[row].as_py()), float(similarity[row].as_py()),
        )  # fmt: skip
        out.append([cores, groups])
    return pa.array(out, type=pa.list_(_LABELS))


_FUNCTIONS = {
    "connected_components": (
        connected_components,
        ["BIGINT[]", "BIGINT[]", "BIGINT"],
        "BIGINT[]",
    ),
    "story_cores": (
        story_cores_udf,
        ["BIGINT[]", "BIGINT[]", "BIGINT[]", "VARCHAR[][]", "DOUBLE", "DOUBLE"],
        "BIGINT[][]",
    ),
}


# The contract's story tokens of a title (Stories): lowercased, split on every character that
# is not a letter or a digit, pieces under 3 characters and the stop words dropped, as a set.
_STOP_WORDS = (
    "'about', 'after', 'all', 'and', 'are', 'but', 'can', 'could', 'for', 'from', 'had', "
    "'has', 'have', 'how', 'into', 'its', 'more', 'most', 'new', 'not', 'now', 'one', "
    "'our', 'out', 'over', 'said', 'says', 'than', 'that', 'the', 'their', 'this', "
    "'two', 'was', 'were', 'what', 'who', 'why', 'will', 'with', 'you', 'your'"
)
_MACROS = {
    "story_tokens": (
        "(title) as list_distinct(list_filter("
        "regexp_split_to_array(lower(title), '[^\\p{L}\\p{N}]+'),"
        # NOT IN over the constants: a quarter faster than list_contains at a million titles.
        " lambda token: length(token) >= 3 and token not in (" + _STOP_WORDS + ")))"
    ),
    # Whether two token sets have a Jaccard index of at least 0.8 (5 |A & B| >= 4 |A | B|).
    "story_tokens_similar": (
        "(x, y) as len(list_intersect(x, y)) > 0"
        " and 5 * len(list_intersect(x, y)) >= 4 * (len(x) + len(y) - len(list_intersect(x, y)))"
    ),
}


def register_functions(con: duckdb.DuckDBPyConnection) -> None:
    """Make the models' functions callable on `con` (a no-op for those it already has).

    Called before each model: asking `duckdb_functions()` which exist cost 11 ms a call, so
    each is created, and DuckDB's refusal of a second one with the same name is the answer.
    """
    for name, (function, parameters, result) in _FUNCTIONS.items():
        try:
            con.create_function(
                name, function, parameters, result, type="arrow", side_effects=False
            )
        except duckdb.NotImplementedException as exc:
            if "already created" not in str(exc):
                raise
    for name, definition in _MACROS.items():
        con.execute(f"create or replace temp macro {name}{definition}")
