"""What a person waits for, through the real server: `streamlit run app.py` with the production settings of deploy/
(file watcher off), driven over its websocket as the browser drives it.

A session is a websocket to /_stcore/stream with the sign-in cookie; its first page is the time from opening the
socket until the server says the script finished (every element of the page sent), a rerun the time from sending a
rerun until the same. 20 sessions open at once; the server process's memory (its resident set) is read before and
after, and per session is the difference over the sessions. The browser's own drawing is not in these figures (a few
tens of milliseconds on a phone, measured in "On a slow line").
"""

from __future__ import annotations

import asyncio
import contextlib
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import websockets
from sqlalchemy import Engine, update
from streamlit.proto import BackMsg_pb2, ForwardMsg_pb2

from bench.report import Report
from db.models import Person
from monitor.people.passwords import rehash

ROOT = Path(__file__).resolve().parent.parent.parent
# Streamlit's production settings as deploy/ runs them (README "Running it for a city").
PRODUCTION = (
    *("--server.headless", "true", "--browser.gatherUsageStats", "false"),
    *("--server.fileWatcherType", "none", "--server.runOnSave", "false"),
    *("--global.developmentMode", "false", "--client.toolbarMode", "minimal"),
)
PASSWORD = "bench-password"  # noqa: S105 - the benchmark's own accounts


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running_server(url: str, log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The app on the benchmark's database, with the production flags and the scheduler off (as behind deploy/)."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "streamlit"), "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", *PRODUCTION]
    env = dict(os.environ, MONITOR_DATABASE_URL=url, MONITOR_SCHEDULER="off")
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    raise RuntimeError(f"the server stopped: {log.read_text(errors='replace')[-2000:]}")
                with (
                    contextlib.suppress(OSError),
                    urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer,  # noqa: S310
                ):
                    if answer.read().strip() == b"ok":
                        break
                time.sleep(0.2)  # polling the health check while the server starts
            yield base, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def sign_in(base: str, username: str) -> str:
    """The Cookie header of a signed-in browser, through the sign-in form as a browser posts it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/auth/login", timeout=60) as answer:
        form = answer.read().decode()
    token = re.search(r'name="csrf" value="([^"]*)"', form)
    fields = {"username": username, "password": PASSWORD, "csrf": token.group(1) if token else "", "lang": "nl"}
    with opener.open(f"{base}/auth/login", urllib.parse.urlencode(fields).encode(), timeout=60):
        pass
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "session" not in cookie.lower():
        raise RuntimeError(f"signing in as {username} gave no session cookie")
    return cookie


def _rerun(page: str) -> bytes:
    message = BackMsg_pb2.BackMsg()
    message.rerun_script.page_name = page
    message.rerun_script.query_string = ""
    return message.SerializeToString()


async def _until_finished(socket_: websockets.ClientConnection) -> int:
    """Read the server's messages until the script finished; how many elements (deltas) it sent."""
    deltas = 0
    while True:
        message = ForwardMsg_pb2.ForwardMsg()
        message.ParseFromString(await socket_.recv())
        kind = message.WhichOneof("type")
        if kind == "delta":
            deltas += 1
        elif kind == "page_not_found":
            raise RuntimeError("the server did not find the page")
        elif kind == "script_finished":
            return deltas


async def _session(base: str, cookie: str, page: str, reruns: int) -> tuple[float, list[float], int]:
    """One new session: (first page, reruns, elements on the page)."""
    address = base.replace("http://", "ws://") + "/_stcore/stream"
    started = time.perf_counter()
    async with websockets.connect(
        address, additional_headers={"Cookie": cookie}, subprotocols=["streamlit"], max_size=None
    ) as socket_:
        await socket_.send(_rerun(page))
        deltas = await _until_finished(socket_)
        first = time.perf_counter() - started
        again = []
        for _ in range(reruns):
            started = time.perf_counter()
            await socket_.send(_rerun(page))
            await _until_finished(socket_)
            again.append(time.perf_counter() - started)
    return first, again, deltas


def rss_mib(pid: int) -> float:
    """A process's resident memory with its children's (Streamlit runs in one process), in MiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def server_timings(url: str, usernames: dict[str, str], repeat: int, report: Report, folder: Path) -> None:
    """usernames: 'leader' and 'coproducer' of the city, with PASSWORD (set by set_passwords)."""
    with running_server(url, folder / "server.log") as (base, process):
        cookies = {role: sign_in(base, name) for role, name in usernames.items()}
        # A person's first page is at the site's root (url_path ""): a leader's My team, a coproducer's Log a request.
        pages = (("leader", "", "My team"), ("leader", "alerts", "Alerts"), ("coproducer", "", "Log a request"))
        asyncio.run(_session(base, cookies["leader"], "", 0))  # the server's first session imports the pages
        idle = rss_mib(process.pid)
        for role, page, title in pages:
            runs = [asyncio.run(_session(base, cookies[role], page, 3)) for _ in range(repeat)]
            first = statistics.median(r[0] for r in runs)
            rerun = statistics.median(t for r in runs for t in r[1])
            report.line("first page", first, f"{title}: a new session's first page ({runs[-1][2]} elements)")
            report.line(None, rerun, f"{title}: a rerun")

        async def at_once() -> list[float]:
            return [r[0] for r in await asyncio.gather(*(_session(base, cookies["leader"], "", 0) for _ in range(20)))]

        started = time.perf_counter()
        firsts = asyncio.run(at_once())
        report.line("20 at once", time.perf_counter() - started, "20 sessions opening My team at once: all drawn")
        print(f"       (each: median {statistics.median(firsts) * 1000:.0f} ms, the last {max(firsts) * 1000:.0f} ms)")
        busy = rss_mib(process.pid)

        async def held() -> float:
            sockets = []
            address = base.replace("http://", "ws://") + "/_stcore/stream"
            for _ in range(20):
                s = await websockets.connect(
                    address, additional_headers={"Cookie": cookies["leader"]}, subprotocols=["streamlit"], max_size=None
                )
                await s.send(_rerun(""))
                await _until_finished(s)
                sockets.append(s)
            memory = rss_mib(process.pid)
            for s in sockets:
                await s.close()
            return memory

        holding = asyncio.run(held())
        print(
            f"       server memory: {idle:.0f} MiB with one session, {holding:.0f} MiB with 20 open "
            f"({(holding - idle) / 19:.1f} MiB a session; {busy:.0f} MiB after the 20 at once had closed)"
        )


def set_passwords(engine: Engine, usernames: list[str]) -> None:
    """PASSWORD for these people of the city, so that the benchmark can sign in as them."""
    with engine.begin() as connection:
        connection.execute(update(Person).where(Person.username.in_(usernames)).values(password_hash=rehash(PASSWORD)))
