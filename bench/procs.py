"""The real processes a benchmark runs: gunicorn, the Procfile's two Celery workers, a ticker.

Each starts in its own session (process group), logs to ``var/bench/<name>.log`` and is
registered, so ``stop_all`` (called in ``finally``, at exit and on SIGTERM) ends the whole group,
pool children included, whatever happened.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

import requests

from bench.env import LOG_DIR, ROOT, process_env

HOST = socket.gethostname()
WORKER_NAME = f"bench-worker@{HOST}"
DISPATCHER_NAME = f"bench-dispatcher@{HOST}"
URGENT_NAME = f"bench-urgent@{HOST}"
WORKER_CONCURRENCY = 2
WEB_WORKERS = 2

_running: list["Proc"] = []


class Proc:
    """One started command, in its own process group."""

    def __init__(self, name: str, argv: list[str]):
        self.name = name
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = LOG_DIR / f"{name}.log"
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=process_env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.pgid = self.popen.pid
        _running.append(self)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM (warm shutdown), then SIGKILL of whatever is left of the group."""
        if self.alive():
            _killpg(self.pgid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=timeout)
        _killpg(self.pgid, signal.SIGKILL)  # pool children that outlived their parent
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=5)
        if self in _running:
            _running.remove(self)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def groups_now() -> dict[int, str]:
    """Process group → name of the processes this run has running now."""
    return {proc.pgid: proc.name for proc in _running}


def _killpg(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def stop_all() -> None:
    """Stop every process this run started, newest first."""
    for proc in reversed(list(_running)):
        proc.stop(timeout=20)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _celery(name: str, *args: str) -> Proc:
    argv = [sys.executable, "-m", "celery", "-A", "config", "worker", *args, "-l", "WARNING"]
    return Proc(name, argv)


def worker_start(concurrency: int = WORKER_CONCURRENCY) -> Proc:
    """The Procfile's ``worker``: queues high,default,low, 2 processes (+ bench.noop).

    ``concurrency`` is the Procfile's ``WORKER_CONCURRENCY``: a benchmark whose tasks hold a
    process for seconds (a callback call) raises it instead of changing the default.
    """
    return _celery(
        "worker",
        "-Q",
        "high,default,low",
        "--concurrency",
        str(concurrency),
        "-n",
        WORKER_NAME,
        "-I",
        "bench.noop",
    )


def urgent_start() -> Proc:
    """The Procfile's ``urgent``: the ``high`` queue only, one process (solo pool)."""
    return _celery("urgent", "-Q", "high", "-P", "solo", "-n", URGENT_NAME)


def dispatcher_start() -> Proc:
    """The Procfile's ``dispatcher``: the ``system`` queue, one process (solo pool)."""
    return _celery("dispatcher", "-Q", "system", "-P", "solo", "-n", DISPATCHER_NAME)


def ticker_start() -> Proc:
    """Beat's stand-in: publishes CELERY_BEAT_SCHEDULE's tasks at their cadence."""
    return Proc("ticker", [sys.executable, "-m", "bench.ticker"])


def web_start(port: int) -> Proc:
    """gunicorn config.wsgi, as the Procfile's ``web`` (without the access log)."""
    argv = [
        sys.executable, "-m", "gunicorn", "config.wsgi",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(WEB_WORKERS),
        "--graceful-timeout", "5",
        "--log-level", "warning",
    ]  # fmt: skip
    return Proc("web", argv)


def workers_wait_ready(names: list[str], timeout: float = 60.0) -> None:
    """Until each named Celery worker answers a ping."""
    from config.celery import app

    deadline = time.monotonic() + timeout
    waiting = set(names)
    while waiting:
        replies = app.control.ping(destination=sorted(waiting), timeout=0.5) or []
        for reply in replies:
            waiting -= set(reply)
        if waiting and time.monotonic() > deadline:
            raise RuntimeError(f"workers not ready after {timeout:.0f}s: {sorted(waiting)}")


def web_wait_ready(proc: Proc, base_url: str, timeout: float = 60.0) -> None:
    """Until gunicorn answers HTTP at all (any status)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not proc.alive():
            raise RuntimeError(f"gunicorn exited:\n{proc.log_tail()}")
        try:
            requests.get(f"{base_url}/health/", timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn not answering after {timeout:.0f}s:\n{proc.log_tail()}")


@contextlib.contextmanager
def engine(*, dispatcher: bool = True, ticker: bool = True, worker_concurrency: int | None = None):
    """The delivery workers (worker, urgent), the dispatcher and the ticker, ready, for a
    ``with`` block — the Procfile's layout (``worker_concurrency``: its WORKER_CONCURRENCY)."""
    started = [worker_start(worker_concurrency or WORKER_CONCURRENCY), urgent_start()]
    names = [WORKER_NAME, URGENT_NAME]
    if dispatcher:
        started.append(dispatcher_start())
        names.append(DISPATCHER_NAME)
    try:
        workers_wait_ready(names)
        if ticker:
            started.append(ticker_start())
        yield started
    finally:
        for proc in reversed(started):
            proc.stop()


def on_signal_stop(signum, frame) -> None:
    """SIGTERM/SIGHUP: unwind through ``finally`` blocks (which stop the processes)."""
    raise KeyboardInterrupt(f"signal {signum}")
