"""Benchmark 4, enqueue: POST /queue/ with 100-task SMS batches from 8 clients, vs apply_async.

Figure: ``enqueue_clients`` threads, each with its own ``requests.Session`` and JWT (one
POST /api/authenticate each), POST the same 100-task body to gunicorn (config.wsgi, 2 workers)
for ``enqueue_seconds``; tasks/s = Job rows stored / time from the first request to the last
answer. Only gunicorn runs (the Celery workers are stopped), so the cores go to intake.
Baseline: one thread calling ``bench.noop.apply_async`` as many times as tasks were stored,
on the same Redis. Target (B1): ≥ 3× the baseline.
"""

import json
import statistics
import threading
import time

import redis
import requests

from bench import procs
from bench.env import PASSWORD, REDIS_URL, USERNAME, state_reset
from bench.measure import CpuSample, cpu_groups, db_work, ratio, summary

TARGET_RATE = 5_000  # tasks/s stored and handed to dispatch (the engine issue)
SINK_QUEUE = "bench-sink"  # nobody consumes it; deleted after the baseline


def task_body(size: int) -> bytes:
    task = {
        "task": 1,
        "task_type": 2,
        "data": {"contact": 9876543210, "message": "hi", "countryCode": 91},
    }
    return json.dumps([task] * size).encode()


def run(sizes, client_id: int) -> dict:
    from apps.delivery.models import Job

    state_reset()
    port = procs.free_port()
    base = f"http://127.0.0.1:{port}"
    web = procs.web_start(port)
    try:
        procs.web_wait_ready(web, base)
        probe = _probe(base)
        if probe is not None:
            return {"status": "skipped", "reason": probe}
        stored_before = Job.objects.count()
        cpu = CpuSample(cpu_groups([web]), poll=0.5).start()
        load = _load(base, sizes)
        cpu.stop()
        stored = Job.objects.count() - stored_before
    finally:
        web.stop()
    baseline = apply_async_loop(stored)
    split = intake_split(client_id, sizes.enqueue_batch)
    rate = round(stored / load["seconds"], 1) if load["seconds"] else None
    base_rate = baseline["messages_per_s"]
    rows = [
        {
            "metric": f"enqueue: POST /queue/ {sizes.enqueue_batch}-task batches, "
            f"{sizes.enqueue_clients} clients",
            "value": rate,
            "unit": "tasks/s",
            "baseline": base_rate,
            "baseline_label": "apply_async loop, 1 thread",
            "ratio": ratio(rate, base_rate),
            "target": f"≥ {TARGET_RATE:,}/s and ≥ 3× apply_async (issue, B1)",
            "met": bool(rate and base_rate and rate >= TARGET_RATE and rate >= 3 * base_rate),
        }
    ]
    accepted = load["tasks_accepted"]
    status = "ok" if load["errors"] == 0 and stored == accepted else "failed"
    per_task = cpu.ms_per(stored)
    return {
        "status": status,
        "rows": rows,
        "bound": (
            f"request latency p50 {load['latency_s'].get('p50')} s, p99 "
            f"{load['latency_s'].get('p99')} s per {sizes.enqueue_batch} tasks; CPU per task: "
            + ", ".join(f"{k} {v} ms" for k, v in sorted(per_task.items(), key=lambda kv: -kv[1]))
            + f"; machine busy {round(100 * cpu.machine_busy)}%. In-process, one "
            f"{sizes.enqueue_batch}-task request spends {split.get('validate_ms')} ms CPU "
            f"validating and {split.get('store_ms')} ms storing ({split.get('queries')} queries, "
            f"{split.get('commits')} commit)."
        ),
        "details": {
            "load": load,
            "stored": stored,
            "baseline": baseline,
            "in_process_split": split,
            "cpu": cpu.as_dict(stored),
        },
    }


def _token(session: requests.Session, base: str) -> str:
    answer = session.post(
        f"{base}/api/authenticate", json={"username": USERNAME, "password": PASSWORD}, timeout=30
    )
    answer.raise_for_status()
    return answer.json()["token"]


def _probe(base: str) -> str | None:
    """None when POST /queue/ takes a one-task batch; otherwise why the benchmark is skipped."""
    with requests.Session() as session:
        headers = {"Authorization": f"Bearer {_token(session, base)}"}
        headers["Content-Type"] = "application/json"
        answer = session.post(f"{base}/queue/", data=task_body(1), headers=headers, timeout=30)
    if answer.status_code == 404:
        return "/queue/ not available (404)"
    if answer.status_code != 200:
        return f"/queue/ answered {answer.status_code}: {answer.text[:200]}"
    return None


def _load(base: str, sizes) -> dict:
    """``enqueue_clients`` threads posting batches until the time is up."""
    body = task_body(sizes.enqueue_batch)
    sessions = []
    for _ in range(sizes.enqueue_clients):
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {_token(session, base)}"
        session.headers["Content-Type"] = "application/json"
        sessions.append(session)
    latencies, statuses, accepted = [], {}, [0]
    lock = threading.Lock()
    started = time.monotonic()
    stop_at = started + sizes.enqueue_seconds

    def client(session: requests.Session) -> None:
        while time.monotonic() < stop_at:
            t0 = time.monotonic()
            answer = session.post(f"{base}/queue/", data=body, timeout=60)
            elapsed = time.monotonic() - t0
            ids = answer.json().get("job_ids", []) if answer.status_code == 200 else []
            with lock:
                latencies.append(elapsed)
                statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
                accepted[0] += len(ids)

    threads = [threading.Thread(target=client, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    for session in sessions:
        session.close()
    return {
        "seconds": round(seconds, 2),
        "requests": len(latencies),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": sum(v for k, v in statuses.items() if k != 200),
        "tasks_accepted": accepted[0],
        "latency_s": summary(latencies),
    }


def intake_split(client_id: int, size: int, reps: int = 5) -> dict:
    """CPU of one request's validation vs its storing, in this process (median of ``reps``)."""
    try:
        from apps.jobs.api.serializers import TaskSerializer, tasks_validate
        from apps.jobs.services import queue_submit
    except ImportError:  # the Queue face is still being written
        return {}
    body = json.loads(task_body(size))
    validate, store = [], []
    for _ in range(reps):
        started = time.process_time()
        specs = tasks_validate(body, TaskSerializer)
        validate.append(time.process_time() - started)
        started = time.process_time()
        with db_work() as work:
            queue_submit(client_id=client_id, endpoint="queue", specs=specs)
        store.append(time.process_time() - started)
    return {
        "validate_ms": round(statistics.median(validate) * 1000, 1),
        "store_ms": round(statistics.median(store) * 1000, 1),
        "queries": work.get("queries"),
        "commits": work.get("commits"),
    }


def apply_async_loop(count: int) -> dict:
    """The raw baseline: ``count`` × ``bench.noop.apply_async`` from one thread."""
    from bench.noop import noop

    count = max(count, 1000)
    started = time.perf_counter()
    for _ in range(count):
        noop.apply_async(queue=SINK_QUEUE)
    seconds = time.perf_counter() - started
    redis.Redis.from_url(REDIS_URL).delete(SINK_QUEUE)
    return {
        "messages": count,
        "seconds": round(seconds, 2),
        "messages_per_s": round(count / seconds, 1),
    }
