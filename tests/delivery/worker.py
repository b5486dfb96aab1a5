"""Start and stop a real Celery worker subprocess against the test database and broker."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _database_env() -> dict:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return {"FUSION_SQLITE_PATH": str(db["NAME"])}
    user, host, port = (
        db.get("USER") or "postgres",
        db.get("HOST") or "127.0.0.1",
        db.get("PORT") or 5432,
    )
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return {"DATABASE_URL": f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"}


def _broker_purge() -> None:
    from config.celery import PRIORITY_QUEUES, SYSTEM_QUEUE, app

    with app.connection_for_write() as conn:
        for queue in (SYSTEM_QUEUE, *PRIORITY_QUEUES):
            conn.default_channel.queue_purge(queue)


class WorkerProcess:
    """``celery -A config worker`` on all queues, in its own process group (for kill -9)."""

    def __init__(
        self, *, concurrency: int = 2, extra_env: dict | None = None, name: str = "w1", beat=False
    ):
        env = {**os.environ, **_database_env(), **(extra_env or {})}
        env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        env["FUSION_TEST_RUN"] = settings.FUSION_TEST_RUN
        env["FUSION_SSRF_ALLOWED_NETWORKS"] = ",".join(settings.FUSION_SSRF_ALLOWED_NETWORKS)
        _broker_purge()  # messages an earlier test published must not reach this worker
        self.log = Path(settings.VAR_DIR) / f"test-worker-{settings.FUSION_TEST_RUN}-{name}.log"
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q",
                   "system,high,default,low", "-c", str(concurrency), "-n", f"{name}@%h",
                   "--without-gossip", "--without-mingle", "-l", "INFO",
                   *(["-B", "-s", str(self.log.with_suffix(".beat"))] if beat else [])]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def kill_hard(self) -> None:
        """kill -9 the whole worker (main process and its pool children)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill_hard()


def wait_until(predicate, *, timeout: float, interval: float = 0.2, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s: {message}")
