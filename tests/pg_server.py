"""A throwaway PostgreSQL cluster started by the test run itself (initdb + pg_ctl, loopback only)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def find_pg_bin() -> Path | None:
    """The directory holding initdb/pg_ctl, or None when PostgreSQL is not installed."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PgServer:
    """A running cluster; ``url(db)`` gives a SQLAlchemy URL."""

    bin_dir: Path
    root: Path
    port: int
    as_postgres: bool

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    @classmethod
    def start(cls, bin_dir: Path, tls: tuple[Path, Path] | None = None) -> PgServer:
        """Start a cluster; ``tls`` = (certificate, key) turns TLS on for TCP clients."""
        root = Path(tempfile.mkdtemp(prefix="rd-pg-"))
        as_postgres = os.geteuid() == 0  # initdb refuses to run as root
        if as_postgres:
            shutil.chown(root, "postgres", "postgres")
        server = cls(bin_dir, root, _free_port(), as_postgres)
        data = str(root / "data")
        server._run(
            "initdb",
            "-D",
            data,
            "-A",
            "trust",
            "-U",
            "test",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        server._run(
            "pg_ctl",
            "-D",
            data,
            "-w",
            "-s",
            "-l",
            str(root / "log"),
            "-o",
            f"-k {root} -p {server.port} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off" + server._tls_options(tls),
            "start",
        )
        return server

    def _tls_options(self, tls: tuple[Path, Path] | None) -> str:
        if tls is None:
            return ""
        copies = []
        for source in tls:
            target = self.root / source.name
            shutil.copyfile(source, target)
            os.chmod(target, 0o600)  # the server refuses a key readable by others
            if self.as_postgres:
                shutil.chown(target, "postgres", "postgres")
            copies.append(target)
        return f" -c ssl=on -c ssl_cert_file={copies[0]} -c ssl_key_file={copies[1]}"

    def url(self, database: str = "postgres") -> str:
        """Connection URL for ``database`` over the server's Unix-domain socket.

        The desk refuses TCP without ``sslmode=verify-full`` (``require_tls``); a local socket
        is the one transport it accepts without TLS, as a desk beside its server would use.
        """
        return f"postgresql+psycopg://test@/{database}?host={self.root}&port={self.port}"

    def tcp_url(self, database: str = "postgres", **query: str) -> str:
        """The same database over TCP on the loopback address (TLS tests)."""
        text = "&".join(f"{k}={v}" for k, v in query.items())
        return f"postgresql+psycopg://test@localhost:{self.port}/{database}" + (f"?{text}" if text else "")

    def stop(self) -> None:
        """Stop the cluster and delete its files."""
        try:
            self._run(
                "pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "-s", "stop"
            )
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
