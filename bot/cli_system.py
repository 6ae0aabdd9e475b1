"""What the operating system refuses a command, in one line a person can act on.

A port that is taken, an address that is not this machine's, an output path that is a
folder or sits in a folder that does not exist: each becomes a `CoachingError` naming the
problem, never the OS's own exception text.
"""

from __future__ import annotations

import errno
from pathlib import Path

from coaching.types import CoachingError


def cannot_listen(error: OSError, host: str, port: int) -> CoachingError:
    """Why `coach serve` could not listen on host:port."""
    if error.errno == errno.EADDRINUSE:
        why = f"port {port} is already in use; stop the other server or pass --port"
    elif error.errno == errno.EACCES:
        why = f"this user may not listen on port {port}; use a port above 1023"
    else:
        why = f"{host} is not an address of this machine; pass --host"
    return CoachingError("server.cannot_listen", f"Cannot listen on {host}:{port}: {why}.")


def check_out_path(path: Path) -> Path:
    """An output file path whose folder exists and that is not itself a folder."""
    if path.is_dir():
        raise CoachingError("output.bad_path", f"{path} is a folder; name a .zip file in it.")
    if not path.parent.is_dir():
        raise CoachingError("output.bad_path", f"There is no folder {path.parent} to write to.")
    return path


def cannot_write(path: Path, error: OSError) -> CoachingError:
    """Why a file could not be written."""
    why = "permission denied" if error.errno == errno.EACCES else "the path is not writable"
    return CoachingError("output.bad_path", f"Cannot write {path}: {why}.")
