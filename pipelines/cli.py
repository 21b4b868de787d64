"""The `newsdw` command line: thin wrappers over the Dagster definitions and the warehouse."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import click

from .resources import (
    CATALOG_ENV,
    CONTENT_ENV,
    DATA_ENV,
    INSTANCE_ENV,
    WAREHOUSE_ENV,
    NewsdwPaths,
    settings_now,
)
from .store.location import SettingError

_INSTANCE_HEADER = "# The Dagster instance of this warehouse"
_INSTANCE_YAML = f"""\
{_INSTANCE_HEADER}: `newsdw build` and `newsdw ui` both use it.
# newsdw writes this file while it starts with the line above; edit that line to keep yours.
telemetry:
  enabled: false
# One writer at a time: every asset that writes the warehouse is in the pool
# newsdw_warehouse, whose one slot a step holds while it runs; the others wait for it.
concurrency:
  pools:
    default_limit: 1
    granularity: op
# With `newsdw ui` (its daemon), a run that ended still holding a pool slot (its process was
# killed) gives the slot back a minute later; `newsdw build` frees a killed build's slot itself.
# Dagster's run retries stay off: the content sensor requests a failed ingest again itself.
run_monitoring:
  enabled: true
  free_slots_after_run_end_seconds: 60
"""


def _settings(
    content: str | None,
    warehouse: str | None,
    catalog: str | None = None,
    data: str | None = None,
) -> NewsdwPaths:
    """The command's settings: the flags, else the environment, else the defaults."""
    settings = settings_now(
        content_dir=content, warehouse_dir=warehouse, catalog_url=catalog, data_url=data
    )
    try:
        settings.lake  # noqa: B018 - checks the lake's settings, to fail here in one line
    except SettingError as exc:
        _fail(str(exc))
    return settings


def _configure(warehouse_dir: Path) -> Path:
    """Write the warehouse's Dagster instance (`<warehouse>/.dagster`); its folder."""
    if warehouse_dir.exists() and not warehouse_dir.is_dir():
        _fail(f"the warehouse {warehouse_dir} is not a folder")
    home = warehouse_dir / ".dagster"
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    current = config.read_text() if config.exists() else _INSTANCE_HEADER
    if current.startswith(_INSTANCE_HEADER) and current != _INSTANCE_YAML:
        # Written whole, then renamed: a build starting beside this one reads the old or the
        # new file, never a half-written one (which Dagster would read as no settings).
        draft = home / f".dagster.yaml.{os.getpid()}"
        draft.write_text(_INSTANCE_YAML)
        os.replace(draft, config)
    return home


def _cluster_home() -> Path:
    """The shared instance's folder of a Celery build or worker; fails when a setting is missing."""
    from .cluster import BROKER_ENV, instance_home

    try:
        home = instance_home()
    except ValueError as exc:
        _fail(str(exc))
    if not os.environ.get(BROKER_ENV):
        _fail(f"set {BROKER_ENV} to the Celery broker's URL (such as redis://host:6379/0)")
    return home


def _has_content(folder: Path) -> bool:
    """Whether any non-hidden entry other than a folder is under `folder`, as the scan sees it."""
    for _, dirs, files in os.walk(folder):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        if any(not name.startswith(".") for name in files):
            return True
    return False


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _fail(message: str) -> None:
    click.echo(f"newsdw: {message}", err=True)
    sys.exit(1)


content_option = click.option(
    "--content",
    type=click.Path(file_okay=False),
    help=f"Content root [env {CONTENT_ENV}; default content/]",
)
catalog_option = click.option(
    "--catalog",
    help=f"The lake's catalog: postgres:CONNINFO (the password in PGPASSWORD) or sqlite:PATH"
    f" [env {CATALOG_ENV}; default the SQLite file in the warehouse]",
)
data_option = click.option(
    "--data",
    help=f"The lake's data files: s3://bucket/prefix/ (keys in AWS_ACCESS_KEY_ID and"
    f" AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL for storage other than AWS) or a folder"
    f" [env {DATA_ENV}; default lake/ in the warehouse]",
)
warehouse_option = click.option(
    "--warehouse",
    type=click.Path(file_okay=False),
    help=f"Warehouse folder [env {WAREHOUSE_ENV}; default warehouse/]",
)


@click.group()
def main() -> None:
    """newsdw: an analytics warehouse for news content."""


@main.command()
@content_option
@warehouse_option
@catalog_option
@data_option
@click.option(
    "--full",
    is_flag=True,
    help="Read every content file again, whatever the manifest says, and rebuild every table "
    "and page",
)
@click.option(
    "--sharded",
    is_flag=True,
    help="Ingest in hash shards of the content (NEWSDW_SHARDS of them, default 8), one Dagster"
    " run per shard, then build the models and pages",
)
@click.option(
    "--executor",
    type=click.Choice(["in_process", "celery"]),
    default="in_process",
    show_default=True,
    help="Where the shards run: here, or on Celery workers (implies --sharded; broker in"
    " NEWSDW_CELERY_BROKER)",
)
def build(
    content: str | None,
    warehouse: str | None,
    catalog: str | None,
    data: str | None,
    full: bool,
    sharded: bool,
    executor: str,
) -> None:
    """Materialise every asset through Dagster and print a summary."""
    settings = _settings(content, warehouse, catalog, data)
    sharded = sharded or executor == "celery"
    on_s3 = settings.content_dir.startswith("s3://")
    if on_s3 and not sharded:
        _fail("content on S3 is read by a sharded build: add --sharded or --executor celery")
    # Checked first: a mistyped path leaves no warehouse behind.
    if not on_s3 and not settings.content.is_dir():
        _fail(f"content folder {settings.content} does not exist")
    if executor == "celery":
        shared_home = _cluster_home()
    home = _configure(settings.warehouse)
    if executor == "celery":
        home = shared_home
    if not on_s3 and not _has_content(settings.content):
        click.echo(
            f"newsdw: warning: {settings.content} holds no content files; "
            "the warehouse will be empty",
            err=True,
        )
    from .build import BuildStopped, error_reason, run_build, stop_on_signals, stopped_reason
    from .models import ModelError

    stop_on_signals()
    try:
        if sharded:
            from .defs.shards import shard_count
            from .sharded import run_sharded_build

            summary = run_sharded_build(
                settings, home, shards=shard_count(), executor=executor, full=full
            )
        else:
            summary = run_build(settings, home, full=full)
    except (ModelError, ValueError) as exc:  # a model file or a setting that cannot be used
        _fail(str(exc))
    except BuildStopped as stop:  # outside a step: before the run, or after it ended
        _fail(stopped_reason("outside its steps", signal_name=stop.signal))
    except Exception as exc:  # noqa: BLE001 - a full disk, a read-only folder: one line
        _fail(error_reason(exc))
    if summary.error:
        _fail(summary.error)
    for line in summary.lines():
        click.echo(line)


@main.command()
@click.argument("sql")
@warehouse_option
@catalog_option
@data_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
def query(sql: str, warehouse: str | None, catalog: str | None, data: str | None, fmt: str) -> None:
    """Run SQL read-only against the warehouse."""
    where = _settings(None, warehouse, catalog, data).lake  # a query never creates the instance
    from .query import QueryError, run_query

    try:
        text = run_query(where, sql, fmt)
    except QueryError as exc:
        _fail(str(exc))
    # The bytes of the data, as they are: click.echo would strip ANSI codes from a pipe.
    sys.stdout.buffer.write(text.encode("utf-8", "surrogateescape"))
    sys.stdout.flush()


@main.command()
@content_option
@warehouse_option
@catalog_option
@data_option
@click.option("--port", default=3000, show_default=True)
def ui(
    content: str | None, warehouse: str | None, catalog: str | None, data: str | None, port: int
) -> None:
    """Start the Dagster UI and daemon over the same instance as `newsdw build`."""
    settings = _settings(content, warehouse, catalog, data)
    on_s3 = settings.content_dir.startswith("s3://")
    # Checked first: a mistyped path leaves no warehouse behind.
    if not on_s3 and not settings.content.is_dir():
        _fail(f"content folder {settings.content} does not exist")
    home = _configure(settings.warehouse)
    if os.environ.get(INSTANCE_ENV):
        # A cluster's shared instance: its shards' runs and their partitions show there.
        from .cluster import instance_home

        try:
            home = instance_home()
        except ValueError as exc:
            _fail(str(exc))
    from .dagster_dev import DevError, check_port_free, run_dagster_dev

    # Dagster's webserver and daemon read the instance and the paths from their environment.
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        CONTENT_ENV: str(settings.content_url),
        WAREHOUSE_ENV: str(settings.warehouse),
        CATALOG_ENV: settings.catalog_url,
        DATA_ENV: settings.data_url,
    }

    def ready(url: str) -> None:
        click.echo(f"Dagster UI on {url} (instance {home})")

    try:
        check_port_free(port)
        run_dagster_dev(port, ready, env)
    except DevError as exc:
        _fail(str(exc))


@main.command()
@click.option("--name", default=None, help="The worker's name [default: newsdw-<pid>]")
@click.option(
    "--concurrency",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Shards this worker runs at once",
)
@click.option(
    "--folder",
    type=click.Path(file_okay=False),
    default=".newsdw-worker",
    show_default=True,
    help="The worker's own folder (its Celery config)",
)
def worker(name: str | None, concurrency: int, folder: str) -> None:
    """Run a Celery worker that takes shards of `newsdw build --executor celery`.

    The broker is NEWSDW_CELERY_BROKER; the shared Dagster instance, NEWSDW_INSTANCE; the
    lake's and the content's credentials, the AWS SDK's variables and PGPASSWORD.
    """
    from .cluster import worker_command
    from .defs.shards import WORKER_NAME_ENV

    home = _cluster_home()
    command = worker_command(name or f"newsdw-{os.getpid()}", concurrency, Path(folder).resolve())
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        WORKER_NAME_ENV: name or f"newsdw-{os.getpid()}",
    }
    sys.stdout.flush()
    os.execve(command[0], command, env)


@main.command()
@warehouse_option
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port on 127.0.0.1 (0 picks a free one)",
)
def serve(warehouse: str | None, port: int) -> None:
    """Serve the dashboards on localhost."""
    warehouse_dir = _settings(None, warehouse).warehouse
    from dashboards.serve import make_server
    from dashboards.site import site_dir

    folder = site_dir(warehouse_dir)
    if not (folder / "index.html").is_file():
        _fail(f"no dashboards in {folder}; run `newsdw build` first")
    try:
        server = make_server(folder, port)
    except OSError as exc:
        _fail(f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); pick another with --port")
    host, bound = server.server_address[:2]
    click.echo(f"serving {folder} on http://{host}:{bound}/ (Ctrl+C stops)")
    # Both stop it, even in a background job, which starts with SIGINT ignored.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@main.command()
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder to write")
@click.option(
    "--articles", required=True, type=click.IntRange(min=0), help="Content files to write"
)
@click.option("--seed", default=0, show_default=True, help="Random seed")
@click.option(
    "--profile",
    type=click.Choice(["default", "real", "rampup"]),
    default="default",
    show_default=True,
    help="default: mostly distinct articles; real: a site's export history (republished "
    "articles, long related lists); rampup: a site's data as first seen (stray old articles, "
    "a thin first month, a partial current month, a catch-all topic, a syndicator)",
)
def generate(out: str, articles: int, seed: int, profile: str) -> None:
    """Write a deterministic synthetic corpus in the content format."""
    from .generate import generate_corpus

    folder = Path(out)
    # Two corpora in one folder would be neither: their articles and duplicates would mix.
    if folder.is_dir() and any(folder.iterdir()):
        _fail(f"{folder.resolve()} is not empty; generate into an empty or new folder")

    def progress(done: int, total: int) -> None:
        click.echo(f"  {done:,}/{total:,} files", err=True)

    written = generate_corpus(folder, articles, seed, progress=progress, profile=profile)
    click.echo(f"wrote {written:,} files to {folder.resolve()}")
