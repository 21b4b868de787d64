"""Real servers on the loopback interface for the cluster tests: PostgreSQL and an S3 API.

Each runs as a process of its own in a folder of its own and is stopped when the test
session ends. PostgreSQL is Debian's (`make test` installs it where missing); the S3 API is
moto's server mode, from PyPI.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# How long a server may take to start answering.
START_SECONDS = 60


def short_temp_root() -> str:
    """A folder for temporary folders whose paths stay short: /tmp where there is one (a long
    TMPDIR would make multiprocessing's socket paths longer than the 108 bytes allowed)."""
    return "/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_bin() -> Path:
    """The folder of Debian's PostgreSQL server programs (the newest version installed)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=_version)
    if not found:
        raise FileNotFoundError(
            "PostgreSQL's server is not installed (Debian's package postgresql); `make test`"
            " installs it"
        )
    return found[-1].parent


def _version(path: Path) -> int:
    return int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0


@dataclass(frozen=True)
class Postgres:
    """A PostgreSQL server of the tests: its port, and its user's name and password."""

    port: int
    user: str
    password: str
    folder: Path

    def conninfo(self, database: str) -> str:
        """The libpq connection string of a database, without the password."""
        return f"dbname={database} host=127.0.0.1 port={self.port} user={self.user}"

    def create_database(self, name: str) -> None:
        """Create a database owned by the tests' user."""
        subprocess.run(
            [str(postgres_bin() / "createdb"), "-h", "127.0.0.1", "-p", str(self.port)]
            + ["-U", self.user, name],
            env={**os.environ, "PGPASSWORD": self.password},
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        """Start the server (again) on its port; return once it accepts connections."""
        options = (
            f"-p {self.port} -k {self.folder / 'sockets'} -h 127.0.0.1 -c fsync=off"
            " -c max_connections=200"
        )
        subprocess.run(
            [*_as_postgres_user(), str(postgres_bin() / "pg_ctl"), "-D", str(self.folder / "data")]
            + ["-o", options, "-l", str(self.folder / "server.log")]
            + ["-w", "-t", str(START_SECONDS), "start"],
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        """Stop the server at once, as a crash would (its clients lose their connections)."""
        subprocess.run(
            [*_as_postgres_user(), str(postgres_bin() / "pg_ctl"), "-D", str(self.folder / "data")]
            + ["-m", "immediate", "-w", "stop"],
            capture_output=True,
        )

    def dump(self, database: str) -> bytes:
        """Everything a database holds, as pg_dump writes it."""
        return subprocess.run(
            [str(postgres_bin() / "pg_dump"), "-h", "127.0.0.1", "-p", str(self.port)]
            + ["-U", self.user, database],
            env={**os.environ, "PGPASSWORD": self.password},
            check=True,
            capture_output=True,
        ).stdout


def _as_postgres_user() -> list[str]:
    """PostgreSQL refuses to run as root: as root, its programs run as the user `postgres`."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres", "--"]


@contextlib.contextmanager
def postgres(folder: Path) -> Iterator[Postgres]:
    """A PostgreSQL server on 127.0.0.1 with a password-protected user, until the block ends."""
    folder.mkdir(parents=True, exist_ok=True)
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir(exist_ok=True)
    password = secrets.token_hex(16)
    password_file = folder / "password"
    password_file.write_text(password + "\n")
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        for path in (folder, sockets, password_file):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    binaries = postgres_bin()
    runner = _as_postgres_user()
    subprocess.run(
        [*runner, str(binaries / "initdb"), "-D", str(data), "-U", "newsdw"]
        + ["--pwfile", str(password_file), "--auth-local=trust", "--auth-host=scram-sha-256"]
        + ["--encoding=UTF8", "--no-sync"],
        check=True,
        capture_output=True,
    )
    server = Postgres(free_port(), "newsdw", password, folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class S3:
    """An S3 API server of the tests: its endpoint and the keys it is given."""

    endpoint: str
    key_id: str
    secret: str

    def environment(self) -> dict[str, str]:
        """The AWS SDK's variables that point a client (boto3, newsdw) at this server."""
        return {
            "AWS_ACCESS_KEY_ID": self.key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret,
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": self.endpoint,
        }

    def client(self):
        """A boto3 S3 client of this server."""
        import boto3

        env = self.environment()
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            region_name=env["AWS_REGION"],
        )

    def objects(self, bucket: str) -> Iterator[tuple[str, bytes]]:
        """Each object of a bucket: its key and its bytes."""
        client = self.client()
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                yield item["Key"], client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()


@contextlib.contextmanager
def s3_server(folder: Path) -> Iterator[S3]:
    """moto's S3 server on 127.0.0.1, until the block ends."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = open(folder / "server.log", "wb")  # noqa: SIM115 - open while the server runs
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=folder,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        _wait_for_http(endpoint, server)
        key_id, secret = "key-" + secrets.token_hex(4), "secret-" + secrets.token_hex(16)
        yield S3(endpoint, key_id, secret)
    finally:
        _stop(server)
        log.close()


def _stop(server: subprocess.Popen) -> None:
    """End a server: asked first, killed if it has not ended within 10 s."""
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()


def _wait_for_http(url: str, server: subprocess.Popen) -> None:
    """Return once `url` answers; fail if the server ends or does not answer in time."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server of {url} ended with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(url + "/moto-api/", timeout=2):
                return
        except OSError:
            time.sleep(0.1)  # a poll with a deadline, not an ordering of events
    raise TimeoutError(f"{url} did not answer within {START_SECONDS} s")


def have_postgres() -> bool:
    """Whether PostgreSQL's server programs and (as root) its user are here."""
    try:
        postgres_bin()
    except FileNotFoundError:
        return False
    return os.geteuid() != 0 or shutil.which("runuser") is not None


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """Debian's redis-server on 127.0.0.1, in memory only; its URL, until the block ends."""
    program = shutil.which("redis-server")
    if program is None:
        raise FileNotFoundError(
            "redis-server is not installed (Debian's package); `make test` installs it"
        )
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = open(folder / "server.log", "wb")  # noqa: SIM115 - open while the server runs
    server = subprocess.Popen(
        [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", str(folder)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"redis-server ended with exit code {server.returncode}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", port), 1) as con,
            ):
                con.sendall(b"PING\r\n")
                if con.recv(16).startswith(b"+PONG"):
                    break
            if time.monotonic() > deadline:
                raise TimeoutError(f"redis-server did not answer within {START_SECONDS} s")
            time.sleep(0.1)  # a poll with a deadline, not an ordering of events
        yield f"redis://127.0.0.1:{port}"
    finally:
        _stop(server)
        log.close()


def instance_yaml(pg, database: str) -> str:
    """The dagster.yaml of an instance on PostgreSQL, as docs/scaling.md gives it (the
    password from PGPASSWORD, each machine's own folder from DAGSTER_LOCAL_ARTIFACT_DIR)."""
    return f"""\
storage:
  postgres:
    postgres_db:
      hostname: 127.0.0.1
      port: {pg.port}
      username: {pg.user}
      password:
        env: PGPASSWORD
      db_name: {database}
      scheme: postgresql+psycopg2
local_artifact_storage:
  module: dagster._core.storage.root
  class: LocalArtifactStorage
  config:
    base_dir:
      env: DAGSTER_LOCAL_ARTIFACT_DIR
compute_logs:
  module: dagster._core.storage.noop_compute_log_manager
  class: NoOpComputeLogManager
telemetry:
  enabled: false
"""


def stop_workers(processes: list[subprocess.Popen]) -> None:
    """End worker process groups (each started with `start_new_session`): asked, then killed."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def wait_for_workers(broker: str, names: list[str], processes: list[subprocess.Popen]) -> None:
    """Return once every named Celery worker answers a ping through the broker (so that the
    shards are shared among them all, not taken by the first up); fail if one ends first."""
    from celery import Celery

    app = Celery(broker=broker)
    wanted = set(names)
    deadline = time.monotonic() + START_SECONDS * 2
    try:
        while True:
            for process in processes:
                if process.poll() is not None:
                    raise RuntimeError(f"a worker ended with exit code {process.returncode}")
            # Each reply is keyed by the worker's node name, `<name>@<host>`.
            replies = app.control.ping(timeout=1.0)
            answered = {node.split("@")[0] for reply in replies for node in reply}
            if wanted <= answered:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"workers {sorted(wanted - answered)} did not answer")
    finally:
        app.close()
