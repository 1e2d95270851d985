"""A real Postgres server on loopback for the duration of a test module, or a clear skip.

The server is the Debian package's (``apt-get install postgresql``; its programs live in
``/usr/lib/postgresql/N/bin``), made with ``initdb`` in a fresh temporary directory and
started with ``pg_ctl -w``, which returns once the server takes connections. It listens
on a free 127.0.0.1 port and on a socket in that directory, never fsyncs (a test's data
is thrown away), and asks for a password, so the tests see URLs that carry one.
``initdb`` and ``postgres`` refuse to run as root: as root, they run as the package's
``postgres`` user. Each test takes a database of its own from :meth:`Postgres.database`.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.redis_server import free_port

USER = "fluent"
PASSWORD = "pg-s3cret-for-tests"


def binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl`` (on the PATH or Debian's), if any."""
    found = shutil.which("pg_ctl")
    if found is not None:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_version)
    return Path(versions[-1]).parent if versions else None


def _version(path: str) -> int:
    number = Path(path).parent.parent.name
    return int(number) if number.isdigit() else 0


@dataclass
class Postgres:
    """A running server: URLs of fresh databases on it."""

    port: int
    made: list[str] = field(default_factory=list)

    def url(self, database: str = "postgres", password: str = PASSWORD) -> str:
        return f"postgresql://{USER}:{password}@127.0.0.1:{self.port}/{database}"

    def database(self) -> str:
        """The URL of a new, empty database (one per test keeps tests apart)."""
        import psycopg

        name = f"test_{len(self.made)}"
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        self.made.append(name)
        return self.url(name)


@contextmanager
def postgres_server() -> Iterator[Postgres]:
    """A fresh server for the block; skip if Postgres is not installed."""
    folder = binaries()
    if folder is None:
        pytest.skip("Postgres is not installed: apt-get install postgresql to run this")
    pytest.importorskip("psycopg", reason="psycopg is not installed: uv sync --all-extras")
    user = None
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("as root, Postgres needs a 'postgres' user to run as (apt makes one)")
    home = Path(tempfile.mkdtemp(prefix="fluent-pg-"))
    data = home / "data"
    (home / "password").write_text(PASSWORD)
    if user is not None:
        os.chown(home, user.pw_uid, user.pw_gid)
        os.chown(home / "password", user.pw_uid, user.pw_gid)
    port = free_port()
    as_user: dict[str, Any] = {} if user is None else {"user": user.pw_uid, "group": user.pw_gid}

    def run(*args: str) -> None:
        done = subprocess.run(
            [str(folder / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            check=False,
            cwd=home,
            **as_user,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed:\n{done.stdout}{done.stderr}")

    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {home} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    try:
        made = ("-D", str(data), "-U", USER, "--pwfile", str(home / "password"))
        run("initdb", *made, "--auth=scram-sha-256", "-E", "UTF8", "--no-sync")
        run("pg_ctl", "-D", str(data), "-l", str(home / "log"), "-o", options, "-w", "start")
        try:
            yield Postgres(port)
        finally:
            run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(home, ignore_errors=True)
