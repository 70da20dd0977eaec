"""Run a program in a pseudo-terminal, as a person runs it, and time it to some text on screen.

`time_to_text` starts the program on a pty of a real size (the child sees a terminal: Textual
runs its ordinary driver, not the headless one), reads everything it writes, and stops the
clock when one of the given strings appears in the output with the escape sequences taken
out. Then it sends ctrl+q and reaps the child (killing it, by its own id, if it lingers).
"""

from __future__ import annotations

import codecs
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Sequence

from benchmarks.harness import REPO, BenchmarkError, user_env

SIZE = (100, 30)  # columns, lines: the size the terminal reports to the child
CTRL_Q = b"\x11"
# CSI ... final byte; OSC ... BEL/ST; and two-byte escapes.
_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")


def time_to_text(argv: Sequence[str], markers: Sequence[str], *, timeout: float = 60.0) -> float:
    """Seconds from starting `argv` in a pty until any of `markers` is on screen (then ctrl+q
    ends it). Raises BenchmarkError if the child ends or the timeout passes first."""
    master, slave = os.openpty()
    columns, lines = SIZE
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    env = user_env()
    env["TERM"] = "xterm-256color"
    for name in ("COLUMNS", "LINES", "TEXTUAL_HEADLESS", "NO_COLOR"):
        env.pop(name, None)
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv),
        cwd=REPO,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,  # the pty becomes its controlling terminal
    )
    os.close(slave)
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    raw = ""
    seen: float | None = None
    try:
        while seen is None:
            remaining = start + timeout - time.perf_counter()
            if remaining <= 0:
                raise BenchmarkError(f"{_name(argv)}: no {markers[0]!r} on screen in {timeout:g} s")
            chunk = _read(master, remaining)
            if chunk is None:
                continue
            if not chunk:
                tail = _ESCAPE.sub("", raw)[-300:].strip()
                raise BenchmarkError(f"{_name(argv)} ended before its rows showed: {tail!r}")
            raw += decoder.decode(chunk)
            # Match on the text alone: cursor moves and colours split nothing inside a cell.
            if any(marker in _ESCAPE.sub("", raw) for marker in markers):
                seen = time.perf_counter() - start
        os.write(master, CTRL_Q)
        _reap(proc, master)
        return seen
    finally:
        if proc.returncode is None:
            _kill(proc)
        os.close(master)


def _read(fd: int, wait: float) -> bytes | None:
    """What the child wrote (b"" once it has gone), or None if nothing came in `wait`."""
    ready, _, _ = select.select([fd], [], [], min(wait, 0.5))
    if not ready:
        return None
    try:
        return os.read(fd, 65536)
    except OSError:  # EIO: the child closed its side of the pty
        return b""


def _reap(proc: subprocess.Popen[bytes], master: int, grace: float = 10.0) -> None:
    """Wait for the child to exit (draining its output so it never blocks writing); kill it
    if it has not gone within `grace` seconds."""
    deadline = time.perf_counter() + grace
    while True:
        pid, status = os.waitpid(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return
        if time.perf_counter() > deadline:
            _kill(proc)
            raise BenchmarkError(f"pid {proc.pid} did not exit on ctrl+q within {grace:g} s")
        _read(master, 0.01)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """End the child we started, by its id, and reap it."""
    try:
        os.kill(proc.pid, signal.SIGKILL)
        os.waitpid(proc.pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
    proc.returncode = -9


def _name(argv: Sequence[str]) -> str:
    return " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(argv[:3]))
