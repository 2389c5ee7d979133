"""A province's shared PostgreSQL server: TLS required off the local socket, two desks at once.

The TLS test starts its own server with a certificate signed by a throwaway CA; the two-desk
test runs two desk processes against one database through the optimistic-lock path.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from repatriation.bootstrap import build_services
from repatriation.config import Settings
from repatriation.domain.actors import Actor, Role
from repatriation.services.results import CaseQuery
from repatriation.storage.database import make_engine
from repatriation.storage.faults import StorageError
from tests.cli_kit import run_cli
from tests.integration.fault_kit import refused
from tests.pg_server import PgServer, find_pg_bin

pytestmark = pytest.mark.postgres
CHIEF = Actor("chief", Role.SUPERVISOR)  # services are driven directly, as the storage tests do
CHILD = Path(__file__).with_name("two_desk_child.py")
ROUNDS = 25


def _certificate(subject: str, key: ec.EllipticCurvePrivateKey, issuer: x509.Name,
                 signer: ec.EllipticCurvePrivateKey, ca: bool) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(issuer).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
    return builder.sign(signer, hashes.SHA256())


def _tls_files(folder: Path) -> tuple[Path, Path, Path]:
    """(CA certificate, server certificate for "localhost", server key)."""
    ca_key, server_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test province CA")])
    ca = _certificate("Test province CA", ca_key, name, ca_key, ca=True)
    server = _certificate("localhost", server_key, ca.subject, ca_key, ca=False)
    paths = folder / "ca.crt", folder / "server.crt", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(server_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return paths


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PgServer, Path]]:
    bin_dir = find_pg_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL not installed (set REQUIRE_POSTGRES=1 to make this an error)")
    ca, cert, key = _tls_files(tmp_path_factory.mktemp("tls"))
    server = PgServer.start(bin_dir, tls=(cert, key))
    yield server, ca
    server.stop()


def _select_one(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.exec_driver_sql("SELECT 1").scalar_one())
    finally:
        engine.dispose()


def test_tcp_needs_verified_tls_and_the_local_socket_does_not(
    tls_server: tuple[PgServer, Path]
) -> None:
    server, ca = tls_server
    assert _select_one(server.url()) == 1  # Unix-domain socket: no TLS needed
    for weak in ({}, {"sslmode": "require"}, {"sslmode": "prefer"}, {"sslmode": "verify-ca"}):
        with pytest.raises(StorageError) as refused:
            make_engine(server.tcp_url(**weak))
        assert refused.value.code == "postgres_tls_required"
        assert refused.value.params["host"] == "localhost"
    verified = server.tcp_url(sslmode="verify-full", sslrootcert=str(ca), hostaddr="127.0.0.1")
    assert _select_one(verified) == 1
    engine = make_engine(verified)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SHOW ssl").scalar_one() == "on"
            used = connection.exec_driver_sql(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").scalar_one()
            assert used is True
    finally:
        engine.dispose()


def test_the_cli_names_the_missing_tls(tls_server: tuple[PgServer, Path], tmp_path: Path) -> None:
    server, _ = tls_server
    (tmp_path / "settings.json").write_text(json.dumps({"database_url": server.tcp_url()}))
    refused(run_cli("--lang", "en", "--data-dir", str(tmp_path), "cases", "list", "--user", "chief",
                    password="any password: the server is refused before an account is read"),
            "The PostgreSQL server localhost must be reached with TLS")


def _desk(url: str, name: str, reference: str, log: Path, barrier: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(CHILD), url, name, reference, str(ROUNDS), str(barrier)],
        stdin=subprocess.PIPE, stdout=log.open("w"), stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_two_desks_editing_one_case_at_once_lose_no_update(
    database_url: str, tmp_path: Path
) -> None:
    services = build_services(Settings(data_dir=tmp_path / "setup", database_url=database_url))
    services.demo.seed(CHIEF, 3, seed=7)
    reference = services.cases.list_cases(CaseQuery(limit=1), CHIEF).rows[0].reference
    services.close()
    logs = {name: tmp_path / f"{name}.log" for name in ("desk-a", "desk-b")}
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    desks = {name: _desk(database_url, name, reference, log, barrier) for name, log in logs.items()}
    for desk in desks.values():  # both are loaded and waiting: start them together
        assert desk.stdin is not None
        desk.stdin.write(b"go\n")
        desk.stdin.flush()
    for name, desk in desks.items():
        _, err = desk.communicate(timeout=240)
        assert desk.returncode == 0, f"{name}: {err.decode(errors='replace')[-2000:]}"
    saved, conflicts = set(), 0
    for name, log in logs.items():
        lines = log.read_text().splitlines()
        saved |= {line.split()[1] for line in lines if line.startswith("saved ")}
        conflicts += sum(line.startswith("conflict ") for line in lines)
        assert sum(line.startswith("saved ") for line in lines) == ROUNDS, name
    services = build_services(Settings(data_dir=tmp_path / "check", database_url=database_url))
    final = services.cases.get(CHIEF, reference)
    history = [e for e in services.cases.history(CHIEF, reference) if e.action == "person_updated"]
    services.close()
    # Every save built on the latest state (a stale one was refused, reloaded and redone):
    # all 2 x ROUNDS edits are in the final record, one audit entry each, and desks did collide.
    assert set(final.person.aliases) == saved and len(saved) == 2 * ROUNDS
    assert len(history) == 2 * ROUNDS
    assert final.revision >= 2 * ROUNDS + 1
    assert conflicts > 0, "the desks never collided: the test proved nothing"

