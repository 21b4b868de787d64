"""Where a lake lives: its catalog and its data files, inside the warehouse folder or shared.

By default both are in the warehouse folder: the catalog a SQLite file, the data files under
`lake/`. A lake shared by many machines keeps its catalog on PostgreSQL (`postgres:dbname=…
host=…`, DuckLake's own syntax; any libpq connection string) and its data files on
S3-compatible storage (`s3://bucket/prefix/`).

Credentials never enter a setting, a URL or a log: PostgreSQL's come from libpq's own
environment variables (`PGPASSWORD`, or a `~/.pgpass` file), S3's from the AWS SDK's
(`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`,
`AWS_ENDPOINT_URL` for storage other than AWS), and become a temporary DuckDB secret, held in
the connection's memory only.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

CATALOG_NAME = "newsdw.ducklake"
DATA_DIR = "lake"

# The secret's name in every connection that reads S3.
S3_SECRET = "newsdw_s3"
# A password written into a connection string would reach Dagster's run config and logs.
_PASSWORD = re.compile(r"(^|\s)password\s*=|://[^/@\s]*:[^/@\s]*@", re.IGNORECASE)


class SettingError(ValueError):
    """A setting that cannot be used, with what to do instead."""


@dataclass(frozen=True)
class Lake:
    """A lake's place: the warehouse folder, and where its catalog and data files are kept.

    `catalog`: empty (a SQLite file in the warehouse), `sqlite:PATH` or `postgres:CONNINFO`.
    `data`: empty (`<warehouse>/lake/`), a folder, or `s3://bucket/prefix/`.
    """

    warehouse: Path
    catalog: str = ""
    data: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "warehouse", Path(self.warehouse))
        kind = self.catalog.split(":", 1)[0] if self.catalog else "sqlite"
        if kind not in ("sqlite", "postgres"):
            raise SettingError(
                f"the lake's catalog {self.catalog!r} is neither sqlite:PATH nor"
                " postgres:CONNINFO (such as 'postgres:dbname=newsdw host=db.internal')"
            )
        if _PASSWORD.search(self.catalog):
            raise SettingError(
                "the lake's catalog setting holds a password; give it in PGPASSWORD (or a"
                " ~/.pgpass file) instead, so that it reaches no log or run config"
            )
        if self.data.startswith("s3://") and "@" in urlsplit(self.data).netloc:
            raise SettingError(
                "the lake's data URL holds credentials; give them in AWS_ACCESS_KEY_ID and"
                " AWS_SECRET_ACCESS_KEY instead"
            )

    @property
    def on_postgres(self) -> bool:
        """Whether the catalog is on PostgreSQL (many writers on many machines)."""
        return self.catalog.startswith("postgres:")

    @property
    def catalog_file(self) -> Path | None:
        """The SQLite catalog's file, or None for a catalog on PostgreSQL."""
        if self.on_postgres:
            return None
        if self.catalog:
            return Path(self.catalog.split(":", 1)[1]).expanduser().resolve()
        return self.warehouse / CATALOG_NAME

    @property
    def data_on_s3(self) -> bool:
        """Whether the data files are on S3-compatible storage."""
        return self.data.startswith("s3://")

    @property
    def data_folder(self) -> Path | None:
        """The data files' folder, or None for data on S3."""
        if self.data_on_s3:
            return None
        return Path(self.data).expanduser().resolve() if self.data else self.warehouse / DATA_DIR

    @property
    def data_url(self) -> str:
        """Where the data files go, ending with a slash, as DuckLake's DATA_PATH takes it."""
        url = self.data if self.data_on_s3 else str(self.data_folder)
        return url.rstrip("/") + "/"

    @property
    def state_url(self) -> str:
        """Where sharded builds keep each shard's manifest: beside the data files, not among
        them (DuckLake deletes the files of its data path that its catalog does not know)."""
        return self.data_url.rstrip("/") + ".state/"

    @property
    def attach_url(self) -> str:
        """The `ducklake:` URL that ATTACH takes."""
        if self.on_postgres:
            return "ducklake:" + self.catalog
        return f"ducklake:sqlite:{self.catalog_file}"

    @property
    def extensions(self) -> tuple[str, ...]:
        """The DuckDB extensions that opening this lake needs."""
        names = ["ducklake", "postgres" if self.on_postgres else "sqlite"]
        if self.data_on_s3:
            names.append("httpfs")
        return tuple(names)

    def describe(self) -> str:
        """The catalog, as messages name it (no credential is ever part of it)."""
        return self.catalog if self.on_postgres else str(self.catalog_file)


def located(where: Path | str | Lake) -> Lake:
    """`where` as a Lake: a warehouse folder alone means the lake inside it."""
    return where if isinstance(where, Lake) else Lake(Path(where))


def s3_secret_sql() -> str:
    """A temporary DuckDB secret for S3 from the AWS SDK's environment variables.

    Held in memory by the connection only (never persisted). Without keys in the
    environment, the secret has none: public buckets, or the storage's own defaults.
    """
    from ..models.materialise import sql_literal

    env = os.environ
    options = {"type": "s3"}
    pairs = {
        "key_id": env.get("AWS_ACCESS_KEY_ID"),
        "secret": env.get("AWS_SECRET_ACCESS_KEY"),
        "session_token": env.get("AWS_SESSION_TOKEN"),
        "region": env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION"),
    }
    endpoint = env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL")
    if endpoint:
        parts = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}")
        pairs["endpoint"] = parts.netloc
        pairs["use_ssl"] = "true" if parts.scheme == "https" else "false"
        # Storage other than AWS (MinIO, Ceph, moto) serves buckets by path.
        pairs["url_style"] = "path"
    body = ", ".join(
        f"{name} {value if name == 'type' else sql_literal(value)}"
        for name, value in {**options, **{k: v for k, v in pairs.items() if v}}.items()
    )
    return f"create or replace temporary secret {S3_SECRET} ({body})"
