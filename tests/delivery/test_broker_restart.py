"""Redis (the broker) restarted mid-run: queued messages vanish, no job is lost."""

import shutil
import socket
import subprocess
import time

import pytest

from apps.delivery.models import Job
from apps.delivery.services.jobs import JobSpec, jobs_create
from apps.providers.models import Provider
from tests.delivery.worker import WorkerProcess, wait_until
from tests.factories import ClientFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs the redis-server binary"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis(port: int) -> subprocess.Popen:
    """A private, non-persistent Redis: a restart loses everything it held."""
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(50):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def test_redis_restart_mid_run_loses_no_job():
    client = ClientFactory()
    Provider.objects.create(client=client, name="sb", type="sandbox", service_flag=4,
                            settings={"latency_ms": 50})  # fmt: skip
    port = _free_port()
    redis = _redis(port)
    env = {"REDIS_URL": f"redis://127.0.0.1:{port}/0", "FUSION_QUEUED_STALE_SECONDS": "3",
           "FUSION_REPUBLISH_EVERY_SECONDS": "2", "FUSION_RESCUE_EVERY_SECONDS": "2",
           "FUSION_LEASE_SECONDS": "5"}  # fmt: skip
    worker = WorkerProcess(extra_env=env, name="redis-restart", beat=True)
    try:
        specs = [
            JobSpec(channel="sms", payload={"to": f"+1500555{i:04d}"}, priority=0)
            for i in range(80)
        ]
        jobs_create(client_id=client.id, specs=specs)
        wait_until(
            lambda: Job.objects.filter(status="succeeded").exists(), timeout=60, message="started"
        )
        redis.kill()
        redis.wait()
        assert Job.objects.exclude(status="succeeded").exists(), "restart came too late"
        time.sleep(1)
        redis = _redis(port)
        wait_until(lambda: Job.objects.filter(status="succeeded").count() == 80, timeout=120,
                   interval=1, message="all 80 jobs succeeded after the Redis restart")  # fmt: skip
    finally:
        worker.stop()
        redis.kill()
    assert Job.objects.filter(attempts_made=1).count() == 80
