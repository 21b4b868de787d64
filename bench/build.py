"""Build benchmark: `newsdw build` end to end, as a user runs it, beside plain parsing loops.

    .venv/bin/python bench/build.py [--files 10000] [--profile default|real] [--repeat 1]
                                    [--seed 7] [--workdir DIR] [--json figures.json]
                                    [--against CHECKOUT]

Each run, on the same warm files: a loop that only reads every file (the floor) and a
python-frontmatter loop in one process; then `newsdw build` as a subprocess into an empty
warehouse, a no-op rebuild, a rebuild after one file changed and one after 1% of the files
changed. Each build reports its wall time, the peak RSS of its whole process tree, the
wall time of each Dagster step and that of the story models (marts.story_items,
marts.stories, marts.provider_firsts: each model's build and checks, from the run's log),
set against the rest of the build. The warehouse's size on disk closes the run. The edited
files get their original bytes and times back at the end of the run.

`--against CHECKOUT`: another checkout of newsdw (with its own `make sync` done), whose
`newsdw build` runs right after this checkout's on the same files, into a warehouse of its
own, for every build of every run; each build's time is then also given as a ratio of the
two, run by run.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import CorpusEdits, arguments, prepare, walk, warm  # noqa: E402 - not a package

BUILDS = {
    "full": "full build, empty warehouse",
    "noop": "rebuild, nothing changed",
    "one_changed": "rebuild, one file changed",
    "one_percent_changed": "rebuild, 1% of files changed",
}
_MIB = 1024 * 1024
_GIB = 1024 * _MIB
_PAGE = os.sysconf("SC_PAGE_SIZE")
_RUN_LINE = re.compile(r"^dagster run\s+(\S+)", re.M)
# publish.py's line per model: "built <table>: N rows; checks a/b passed[, FAILED: ...]; S s"
_MODEL_LINE = re.compile(r"^built (\S+): .*; (\d+(?:\.\d+)?) s$")
# The models of issue 12's stories; their time is what stories add to a build.
STORY_MODELS = ("marts.story_items", "marts.stories", "marts.provider_firsts")
_TITLE = re.compile(rb'^title: "', re.M)


def main() -> None:
    """Run the benchmark the options describe and print its figures."""
    args = arguments(
        __doc__.split("\n\n")[0],
        files=10_000,
        repeat=1,
        json_output=True,
        extra=((("--against",), {"type": Path, "help": "another checkout to build beside"}),),
    )
    content = prepare(args)
    paths = sorted(walk(content))
    content_bytes = sum(path.stat().st_size for path in paths)
    print(
        f"corpus: {len(paths):,} files ({args.profile} profile, seed {args.seed}),"
        f" {content_bytes / _MIB:,.1f} MiB, {content}",
        flush=True,
    )
    runs = [_one_run(run, args, content, paths) for run in range(args.repeat)]
    report = _report(args, content, paths, runs)
    _print(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nfigures written to {args.json}", flush=True)


def _one_run(run: int, args, content: Path, paths: list[Path]) -> dict:
    """Every measure once, side by side on the same files; the corpus is restored after."""
    tag = f"run {run + 1}/{args.repeat}"
    warm(content)
    read_seconds = _timed(lambda: _read_all(paths))
    fm_seconds, fm_failures = _frontmatter_loop(paths)
    print(
        f"{tag}: read loop {len(paths) / read_seconds:,.0f} files/s, python-frontmatter"
        f" {len(paths) / fm_seconds:,.0f} files/s"
        + (f" ({fm_failures:,} files it could not parse)" if fm_failures else ""),
        flush=True,
    )
    figures = {
        "files": len(paths),
        "read_files_per_s": len(paths) / read_seconds,
        "frontmatter_files_per_s": len(paths) / fm_seconds,
        "builds": {},
    }
    warehouse = args.workdir / "warehouse-build"
    shutil.rmtree(warehouse, ignore_errors=True)
    shutil.rmtree(args.workdir / "warehouse-against", ignore_errors=True)
    rng = random.Random(args.seed * 1000 + run)
    with CorpusEdits(content) as edits:
        for kind in BUILDS:
            if kind == "one_changed":
                path = rng.choice(paths)
                edits.rewrite(path, _retitled(path.read_bytes(), f"Edited {run + 1}a"))
            elif kind == "one_percent_changed":
                for path in rng.sample(paths, max(1, len(paths) // 100)):
                    edits.rewrite(path, _retitled(path.read_bytes(), f"Edited {run + 1}b"))
            build = _build(content, warehouse)
            figures["builds"][kind] = build
            _print_build(tag, kind, build)
            if args.against:
                other = _build(content, args.workdir / "warehouse-against", args.against)
                figures.setdefault("against", {})[kind] = other
                _print_build(f"{tag} ({args.against})", kind, other)
        figures["sizes"] = _sizes(warehouse)
    figures["sizes"]["content"] = sum(path.stat().st_size for path in paths)
    return figures


def _print_build(tag: str, kind: str, build: dict) -> None:
    steps = ", ".join(f"{key} {seconds:.2f} s" for key, seconds in build["steps"].items())
    print(
        f"{tag}: {BUILDS[kind]}: {build['seconds']:.2f} s, peak RSS"
        f" {build['peak_rss_bytes'] / _MIB:,.0f} MiB ({steps})",
        flush=True,
    )


def _retitled(data: bytes, prefix: str) -> bytes:
    """The same file with its title changed, still valid: the prefix goes inside the quotes."""
    edited, count = _TITLE.subn(f'title: "{prefix} '.encode(), data, count=1)
    if count != 1:
        raise SystemExit("bench/build.py: a generated file without a quoted `title:` line")
    return edited


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _read_all(paths: list[Path]) -> None:
    for path in paths:
        path.read_bytes()


def _frontmatter_loop(paths: list[Path]) -> tuple[float, int]:
    """Seconds for python-frontmatter to read and parse every file, and how many it refused."""
    import frontmatter

    failures = 0
    started = time.perf_counter()
    for path in paths:
        try:
            frontmatter.loads(path.read_bytes().decode("utf-8-sig"))
        except Exception:  # the baseline's failures do not matter, only its speed
            failures += 1
    return time.perf_counter() - started, failures


def _newsdw() -> list[str]:
    """The `newsdw` command a user runs: the venv's console script, else the same entry point."""
    script = Path(sys.executable).with_name("newsdw")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from pipelines.cli import main; main()"]


def _build(content: Path, warehouse: Path, checkout: Path | None = None) -> dict:
    """One `newsdw build` on warm files: wall time, peak RSS of its tree, steps, stdout.

    `checkout`: run that checkout's `newsdw` (its venv's), not this one's.
    """
    warm(content)
    newsdw = [str(checkout.resolve() / ".venv/bin/newsdw")] if checkout else _newsdw()
    command = newsdw + ["build", "--content", str(content), "--warehouse", str(warehouse)]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=checkout or ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    with TreeMemory(process.pid) as memory:
        stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        tail = "\n".join(stderr.strip().splitlines()[-20:])
        raise SystemExit(f"newsdw build failed (exit {process.returncode}):\n{stdout}{tail}")
    found = _RUN_LINE.search(stdout)
    run_id, steps, models = _run_figures(warehouse, found.group(1) if found else None)
    return {
        "seconds": seconds,
        "peak_rss_bytes": memory.peak,
        "steps": steps,
        "models": models,
        "run_id": run_id,
        "stdout": stdout,
    }


class TreeMemory:
    """The peak, over samples every 0.1 s, of the summed RSS of a process and its descendants."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, tree_rss(self.pid))
            if self._done.wait(self.interval):
                return


def tree_rss(root: int) -> int:
    """Bytes resident in `root` and every process descending from it, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    # The command name may hold spaces and parentheses: split after its end.
                    parent = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # the process ended while we looked
            children.setdefault(parent, []).append(int(entry.name))
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        pending += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * _PAGE  # resident pages: VmRSS
        except (OSError, IndexError, ValueError):
            continue
    return total


def _run_figures(
    warehouse: Path, run_id: str | None
) -> tuple[str, dict[str, float], dict[str, float]]:
    """The Dagster run's id, each step's wall time and each model's seconds (build and checks).

    Read from the warehouse's own instance: steps from its step stats, models from the
    lines the table step logged (none in a build that rebuilt no table).
    """
    import dagster as dg

    with dg.DagsterInstance.from_config(str(warehouse / ".dagster")) as instance:
        if run_id is None or instance.get_run_by_id(run_id) is None:
            run_id = instance.get_runs(limit=1)[0].run_id
        steps = {
            stats.step_key: stats.end_time - stats.start_time
            for stats in instance.get_run_step_stats(run_id)
            if stats.start_time is not None and stats.end_time is not None
        }
        models = {}
        for entry in instance.all_logs(run_id):
            found = _MODEL_LINE.match(entry.user_message or "")
            if found:
                models[found.group(1)] = float(found.group(2))
        return run_id, steps, models


def story_seconds(build: dict) -> float | None:
    """Seconds of the story models in a build; None when the build rebuilt no table."""
    if not build["models"]:
        return None
    missing = [table for table in STORY_MODELS if table not in build["models"]]
    if missing:
        raise SystemExit(f"bench/build.py: no build time logged for {', '.join(missing)}")
    return sum(build["models"][table] for table in STORY_MODELS)


def _sizes(warehouse: Path) -> dict[str, int]:
    """Bytes on disk under the warehouse folder (apparent sizes, as `du -b`), by part."""
    from pipelines.store.lake import CATALOG_NAME, DATA_DIR

    parts = {"warehouse": 0, "lake": 0, "raw": 0, "dashboards": 0, "dagster": 0, "other": 0}
    for folder, _, names in os.walk(warehouse):
        top = Path(folder).relative_to(warehouse).parts[:1]
        for name in names:
            size = os.lstat(os.path.join(folder, name)).st_size
            parts["warehouse"] += size
            if top == ("raw",):
                parts["raw"] += size
            elif top == (".dashboards",):  # the published site and the one before it
                parts["dashboards"] += size
            elif top == (".dagster",):
                parts["dagster"] += size
            elif top == (DATA_DIR,) or (not top and name.startswith(CATALOG_NAME)):
                parts["lake"] += size  # data files, the catalog and its write-ahead log
            else:
                parts["other"] += size
    return parts


def _measures(runs: list[dict]) -> list[tuple[str, str, int, str, list[float | None]]]:
    """(key, label, indent, unit, per-run values) of every measure, in the table's order."""
    out = [
        ("read_files_per_s", "read every file (the floor)", 0, "files/s",
         [run["read_files_per_s"] for run in runs]),
        ("frontmatter_files_per_s", "python-frontmatter loads, 1 process", 0, "files/s",
         [run["frontmatter_files_per_s"] for run in runs]),
    ]  # fmt: skip
    for kind, label in BUILDS.items():
        builds = [run["builds"][kind] for run in runs]
        out.append((f"{kind}.seconds", label, 0, "s", [b["seconds"] for b in builds]))
        if kind == "full":
            rates = [run["files"] / b["seconds"] for run, b in zip(runs, builds, strict=True)]
            out.append(("full.files_per_s", "files/s", 1, "files/s", rates))
        rss = [b["peak_rss_bytes"] / _MIB for b in builds]
        out.append((f"{kind}.peak_rss_mib", "peak RSS, process tree", 1, "MiB", rss))
        for step in dict.fromkeys(key for b in builds for key in b["steps"]):
            values = [b["steps"].get(step) for b in builds]
            out.append((f"{kind}.step.{step}", f"step {step}", 1, "s", values))
        stories = [story_seconds(b) for b in builds]
        if any(value is not None for value in stories):
            out.append((f"{kind}.stories_seconds", "story models", 1, "s", stories))
    parts = [
        ("warehouse", "warehouse folder on disk", 0),
        ("lake", "the lake (catalog and data files)", 1),
        ("raw", "raw/ Parquet", 1),
        ("dashboards", ".dashboards/ (sites)", 1),
        ("dagster", ".dagster/", 1),
        ("other", "other files", 1),
        ("content", "content folder on disk", 0),
    ]
    for part, label, indent in parts:
        values = [run["sizes"][part] / _MIB for run in runs]
        if part != "other" or any(values):  # an empty "other" is no figure
            out.append((f"size.{part}_mib", label, indent, "MiB", values))
    return out


# Issue 20's bar: the full build no slower, against python-frontmatter, than before the lake
# (5.1x on the real profile, 2.6x on the generated one at 1M files).
_SPEED_BEFORE = {"real": 5.1, "default": 2.6}


def _ratios(
    runs: list[dict], profile: str = "default"
) -> list[tuple[str, str, list[float], str, float, str]]:
    """(key, label, per-run values, unit, target, direction) of the ratios that matter."""
    full = [run["builds"]["full"]["seconds"] for run in runs]

    def share(kind: str) -> list[float]:
        return [run["builds"][kind]["seconds"] / f for run, f in zip(runs, full, strict=True)]

    speed = [
        run["files"] / f / run["frontmatter_files_per_s"] for run, f in zip(runs, full, strict=True)
    ]
    percent = share("one_percent_changed")
    one = [
        run["builds"]["one_changed"]["seconds"] / run["builds"]["noop"]["seconds"] for run in runs
    ]
    peak = [max(b["peak_rss_bytes"] for b in run["builds"].values()) / _GIB for run in runs]
    size = [run["sizes"]["warehouse"] / run["sizes"]["content"] for run in runs]
    stories = [story_seconds(run["builds"]["full"]) for run in runs]
    added = [s / (f - s) for s, f in zip(stories, full, strict=True)]
    return [
        (
            "full_vs_frontmatter",
            "full build / python-frontmatter, files/s",
            speed,
            "x",
            _SPEED_BEFORE.get(profile, 2.6),
            ">=",
        ),
        ("noop_vs_full", "no-op rebuild / full build", share("noop"), "%", math.nan, ""),
        ("one_changed_vs_noop", "one-changed rebuild / no-op rebuild", one, "x", 2, "<="),
        ("one_percent_vs_full", "1%-changed rebuild / full build", percent, "%", 0.15, "<="),
        ("stories_vs_rest", "story models / rest of the full build", added, "%", 0.10, "<="),
        ("peak_rss_gib", "peak RSS of any build", peak, "GiB", 2, "<="),
        ("warehouse_vs_content", "warehouse size / content size", size, "x", 1.0, "<="),
    ]


def _report(args, content: Path, paths: list[Path], runs: list[dict]) -> dict:
    """Every figure: medians and runs of each measure and ratio, and each build's stdout."""
    measures, parent = {}, ""
    for key, label, indent, unit, values in _measures(runs):
        parent = parent if indent else label
        present = [v for v in values if v is not None]
        measures[key] = {
            "label": f"{parent}: {label}" if indent else label,
            "indent": indent,
            "unit": unit,
            "median": statistics.median(present) if present else None,
            "runs": values,
        }
    ratios = {}
    for key, label, values, unit, target, direction in _ratios(runs, args.profile):
        median = statistics.median(values)
        ratios[key] = {"label": label, "unit": unit, "median": median, "runs": values}
        if direction:
            met = median >= target if direction == ">=" else median <= target
            ratios[key].update(target=f"{direction} {_show(target, unit)}", met=met)
    builds = [
        {"run": n + 1, "kind": kind, "run_id": b["run_id"], "stdout": b["stdout"]}
        for n, run in enumerate(runs)
        for kind, b in run["builds"].items()
    ]
    against = {}
    if args.against:
        for kind, label in BUILDS.items():
            values = [
                run["builds"][kind]["seconds"] / run["against"][kind]["seconds"] for run in runs
            ]
            seconds = [run["against"][kind]["seconds"] for run in runs]
            against[kind] = {
                "label": label,
                "seconds_median": statistics.median(seconds),
                "seconds_runs": seconds,
                "median": statistics.median(values),
                "runs": values,
            }
    config = {"files": len(paths), "profile": args.profile, "seed": args.seed}
    config.update(repeat=args.repeat, content=str(content))
    config.update(against=str(args.against) if args.against else None)
    report = {"config": config, "measures": measures, "ratios": ratios, "builds": builds}
    return report | ({"against": against} if against else {})


def _show(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "files/s":
        return f"{value:,.0f} files/s"
    if unit == "%":
        return f"{value:.1%}"
    if unit == "x":
        return f"{value:.2f}x" if value < 1 else f"{value:.1f}x"
    if unit == "MiB":
        return f"{value:,.1f} MiB"
    return f"{value:.2f} {unit}"


def _print(report: dict) -> None:
    print(f"\n{'measure':<42}{'median':>16}   runs")
    for measure in report["measures"].values():
        unit, indent = measure["unit"], measure["indent"]
        label = "  " + measure["label"].rpartition(": ")[2] if indent else measure["label"]
        runs = ", ".join(_show(v, unit).split(" ")[0] for v in measure["runs"])
        print(f"{label:<42}{_show(measure['median'], unit):>16}   [{runs}]")
    print(f"\n{'ratio (each run side by side)':<42}{'median':>10}{'target':>14}   runs")
    for ratio in report["ratios"].values():
        unit = ratio["unit"]
        runs = ", ".join(_show(v, unit) for v in ratio["runs"])
        verdict = "" if "met" not in ratio else "  ok" if ratio["met"] else "  MISSED"
        target = ratio.get("target", "(info)")
        median = _show(ratio["median"], unit)
        print(f"{ratio['label']:<42}{median:>10}{target:>14}   [{runs}]{verdict}")
    if "against" in report:
        print(f"\n{'this checkout / ' + report['config']['against']:<42}{'median':>10}   runs")
        for kind, ratio in report["against"].items():
            runs = ", ".join(f"{v:.2f}" for v in ratio["runs"])
            there = report["measures"][f"{kind}.seconds"]["median"]
            print(
                f"{ratio['label']:<42}{ratio['median']:>9.2f}x   [{runs}]"
                f"  ({there:.2f} s against {ratio['seconds_median']:.2f} s)"
            )
    measures = {key: measure["median"] for key, measure in report["measures"].items()}
    added = report["ratios"]["stories_vs_rest"]["median"]
    print(
        f"\nfull build (medians): {measures['full.seconds']:.2f} s, of which the story models"
        f" {measures['full.stories_seconds']:.2f} s ({added:.1%} added to the rest);"
        f" peak RSS {measures['full.peak_rss_mib'] / 1024:.2f} GiB"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
