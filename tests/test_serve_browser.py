"""`workforce serve` in a real browser: headless Chromium (Debian's package, driven by
Playwright) opens the served page, and what the app draws is read from the websocket the
page receives it by (the terminal is a canvas: its text is in no DOM node).

It starts the real `workforce serve` on a free local port over a copy of the catalogue, and
checks: the Network screen, keys reaching My next step, an editing key refused (read-only),
a deep link, a link that cannot be followed, and that closing the tab ends its app process.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    # Skipped where no browser is installed; never in CI, which installs one (.ci/run).
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="no /usr/bin/chromium (Debian's chromium package; .ci/run installs it)",
    ),
]

playwright_api = pytest.importorskip("playwright.sync_api")

# Escape sequences (cursor moves, colours, modes): what is left is the text drawn.
ESCAPES = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]"  # CSI: cursor moves, colours
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, links
    rb"|\x1b[()][0-9A-Za-z]|\x1b[=>78]"  # character sets, keypad, cursor save
)
WAIT_SECONDS = 20  # the most any one thing may take to appear (it takes well under one)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def children(pid: int) -> set[int]:
    """The processes `pid` started (the app of each browser tab), from /proc."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def ended(pid: int) -> bool:
    """The process is gone, or a zombie waiting for its parent to collect it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status


def wait_for(condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {WAIT_SECONDS} s for {what}")
        time.sleep(0.05)


@pytest.fixture
def served(catalogue_copy: Path, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`workforce serve` on a free port over a copy of the catalogue: its URL and process."""
    port = free_port()
    served_from = catalogue_copy.parent / "served-from"
    served_from.mkdir()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "workforce_cli.main", "serve", "--db", str(catalogue_copy)]
        + ["--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=served_from,  # whatever it wrote by mistake would land here
    )

    def listening() -> bool:
        assert server.poll() is None, (tmp_path / "serve.log").read_text()
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    try:
        wait_for(listening, "the server to listen")
        yield f"http://127.0.0.1:{port}", server
    finally:
        server.terminate()
        server.wait(10)
        log.close()


class Tab:
    """A browser tab on the served app, and the text the app has drawn in it."""

    def __init__(self, browser: object, url: str) -> None:
        self.frames: list[bytes] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
        self.page.on("websocket", self._watch)
        self.page.goto(url)

    def _watch(self, websocket: object) -> None:
        def received(payload: str | bytes) -> None:
            self.frames.append(payload.encode() if isinstance(payload, str) else payload)

        websocket.on("framereceived", received)  # type: ignore[attr-defined]

    def drawn(self) -> str:
        return ESCAPES.sub(b"", b"".join(self.frames)).decode("utf-8", "replace")

    def shows(self, *texts: str) -> None:
        """Wait until the app has drawn each of `texts` (since the last `press`)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while not all(text in self.drawn() for text in texts):
            if time.monotonic() > deadline:
                missing = [text for text in texts if text not in self.drawn()]
                raise AssertionError(f"the page never showed {missing}:\n{self.drawn()[-3000:]}")
            self.page.wait_for_timeout(50)  # lets Playwright take the frames in

    def press(self, key: str) -> None:
        self.frames.clear()  # what is drawn after the key
        self.page.keyboard.press(key)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        # Debian's chromium, never a browser of Playwright's own; as root it needs no sandbox.
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def first(db: Path, sql: str) -> tuple[str, ...]:
    conn = sqlite3.connect(db)
    try:
        return tuple(conn.execute(sql).fetchone())
    finally:
        conn.close()


def test_a_browser_shows_the_app_read_only(
    served: tuple[str, subprocess.Popen[bytes]], browser: object, catalogue_copy: Path
) -> None:
    url, server = served
    served_from = catalogue_copy.parent / "served-from"  # the server's working directory
    before = digest(catalogue_copy)
    (trust_name,) = first(catalogue_copy, "SELECT name FROM trust ORDER BY name LIMIT 1")
    tab = Tab(browser, url)
    # The Network screen, its trusts listed, and the header saying the catalogue is read-only.
    tab.shows("Network", "read-only", trust_name[:30])
    (app_process,) = children(server.pid)
    tab.page.click(".textual-terminal", force=True)  # the keys go to the terminal

    tab.press("4")
    tab.shows("My next step", "Choose your role (on the left) to see your next steps.")

    # An editing key is refused, saying why, and opens no form.
    tab.press("7")
    tab.shows("Routes", "Training routes")
    tab.press("a")
    tab.shows("read-only here")
    assert "Add a training route" not in tab.drawn()
    assert digest(catalogue_copy) == before

    # An export reaches the browser as a download; nothing is written on the server's disk.
    (routes,) = first(catalogue_copy, "SELECT count(*) FROM training_route")
    tab.press("e")
    tab.shows("File name for the download")
    with tab.page.expect_download() as downloading:
        tab.press("Enter")
    download = downloading.value
    assert download.suggested_filename == "routes.csv"
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,") and len(lines) == 1 + int(routes)
    assert not list(served_from.glob("*.csv"))

    # Closing the tab ends its app process.
    tab.page.close()
    wait_for(lambda: ended(app_process), "the app process to end")


def test_a_link_opens_its_screen_and_says_what_it_could_not_follow(
    served: tuple[str, subprocess.Popen[bytes]], browser: object, catalogue_copy: Path
) -> None:
    url, server = served
    role, title = first(catalogue_copy, "SELECT id, title FROM role WHERE band_min = '6' LIMIT 1")
    # The role is followed; the trust, not in the catalogue, is left out and said.
    tab = Tab(browser, f"{url}/?screen=next-step&role={role}&trust=nhs99")
    tab.shows("My next step", title, "no trust 'NHS99'")
    assert "Choose your role" not in tab.drawn()

    # Stopping the server (ctrl+c) ends the app of a tab still open.
    (app_process,) = children(server.pid)
    server.send_signal(signal.SIGINT)
    wait_for(lambda: ended(app_process), "the app to end")
    server.wait(WAIT_SECONDS)
    tab.page.close()
