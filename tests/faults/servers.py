"""Throwaway PostgreSQL and Redis servers the fault tests may stop, kill and restart.

The machine's own servers are shared with other people, so a test that pulls the plug
gets its own: a PostgreSQL cluster made by `initdb` and a `redis-server`, each on a free
loopback port with its data in a temporary folder, restarted on the same port and data so
clients see the very server they lost come back. PostgreSQL refuses to run as root, so
as root both `initdb` and the server run as the `postgres` OS user (`runuser`), and the
folder is theirs; as anyone else they run directly. PostgreSQL runs with `fsync=off`:
these tests kill processes, not the machine, so the page cache keeps every commit.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from glob import glob
from pathlib import Path
from typing import Protocol, TypeVar

START_SECONDS = 60.0
POSTGRES_OS_USER = "postgres"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _pongs(port: int) -> bool:
    """True once Redis answers PING: listening and done loading its append-only file."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def postgres_bindir() -> Path | None:
    """Where `initdb` and `pg_ctl` live: `pg_config --bindir`, else the newest Debian one."""
    candidates: list[Path] = []
    if pg_config := shutil.which("pg_config"):
        found = subprocess.run([pg_config, "--bindir"], check=False, capture_output=True, text=True)
        candidates.append(Path(found.stdout.strip()))
    versions = sorted(glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    candidates.extend(Path(bindir) for bindir in reversed(versions))
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    return None


def _as_server_user() -> list[str]:
    """The command prefix that drops root to the `postgres` user; nothing for anyone else."""
    return ["runuser", "-u", POSTGRES_OS_USER, "--"] if os.geteuid() == 0 else []


def _own_folder(prefix: str) -> Path:
    """A fresh folder under the system temp dir, owned by whoever runs the server."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        account = pwd.getpwnam(POSTGRES_OS_USER)
        os.chown(folder, account.pw_uid, account.pw_gid)
    return folder


class PrivatePostgres:
    """One cluster: `url` names its `postgres` database (user `postgres`, trust auth)."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = _own_folder("coach-faults-pg-")
        self.data = self.root / "data"
        self.port = free_port()
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync")

    @property
    def url(self) -> str:
        return self.url_for("postgres")

    def url_for(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        log = str(self.root / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session politely; `immediate` is a crash (recovery on start)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def is_running(self) -> bool:
        status = subprocess.run(
            [*_as_server_user(), str(self.bindir / "pg_ctl"), "-D", str(self.data), "status"],
            check=False,
            capture_output=True,
        )
        return status.returncode == 0

    def remove(self) -> None:
        if self.is_running():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        command = [*_as_server_user(), str(self.bindir / program), *args]
        done = subprocess.run(
            command, check=False, capture_output=True, text=True, timeout=START_SECONDS
        )
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stderr.strip() or done.stdout.strip()}")


class PrivateRedis:
    """One append-only redis-server like docker-compose.yml's (here with an fsync on every
    write), on the same port and data folder across restarts."""

    def __init__(self, program: str) -> None:
        self.program = program
        self.root = Path(tempfile.mkdtemp(prefix="coach-faults-redis-"))
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [
            self.program,
            *("--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.root)),
            *("--appendonly", "yes", "--appendfsync", "always", "--save", ""),
            *("--logfile", str(self.root / "server.log")),
        ]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        _wait_until(lambda: _pongs(self.port), f"redis-server on port {self.port}")

    def stop(self, *, kill: bool = False) -> None:
        """SIGTERM shuts down cleanly; `kill` is a crash (the append-only file still holds
        every acknowledged write)."""
        if self._process is None:
            return
        self._process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        self._process.wait(timeout=START_SECONDS)
        self._process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def remove(self) -> None:
        self.stop(kill=True)
        shutil.rmtree(self.root, ignore_errors=True)


def _wait_until(ready: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not start within {START_SECONDS:.0f} s")


class Server(Protocol):
    def start(self) -> None: ...

    def remove(self) -> None: ...


ServerT = TypeVar("ServerT", bound=Server)


@contextmanager
def running(server: ServerT) -> Iterator[ServerT]:
    """`server` started, and removed with its data afterwards however the test ended."""
    try:
        server.start()
        yield server
    finally:
        server.remove()
