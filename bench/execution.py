"""Benchmark 1, execution: drain N sandbox SMS jobs with the real worker, vs a Celery no-op drain.

- baseline: N messages of ``bench.noop`` published to the ``default`` queue while no worker
  runs, then drained by the Procfile's worker (2 processes, same prefetch and acks_late);
  timed from the first message taken off the queue to the queue and unacked set being empty.
- figure: N jobs stored with ``jobs_create`` (one transaction, due now), dispatched by the
  dispatcher worker (kicked on commit and ticked every second) and run by the same worker;
  timed from the first ``started_at`` to the last ``finished_at``.
- what bounds it: the queries and commits of one ``job_execute`` (and of creating and
  dispatching, per job) counted in-process, and the CPU each kind of process used in the drain.
"""

import time

import redis
from django.db.models import Count, Max, Min

from bench import jobsgen, procs
from bench.env import REDIS_URL, state_reset
from bench.measure import CORES, CpuSample, cpu_groups, db_work, ratio, wait_for, wait_progress

NOOP_QUEUE = "default"
DRAIN_CAP = 180.0  # seconds


def run(sizes, client_id: int) -> dict:
    state_reset()
    work = db_work_per_job(client_id)
    state_reset()
    noop = noop_drain(sizes.noop_messages)
    state_reset()
    engine = engine_drain(client_id, sizes.execution_jobs)
    rate, base = engine.get("jobs_per_s"), noop.get("messages_per_s")
    metric = f"execution: {sizes.execution_jobs:,} sandbox SMS jobs drained"
    if engine.get("capped_at_s"):
        metric += f" (rate of the first {engine['jobs_measured']:,}: cut at {DRAIN_CAP:.0f} s)"
    rows = [
        {
            "metric": metric,
            "value": rate,
            "unit": "jobs/s",
            "baseline": base,
            "baseline_label": f"Celery no-op drain ({sizes.noop_messages:,} msgs)",
            "ratio": ratio(rate, base),
            "target": "≥1.5× no-op (B3)",
            "met": bool(rate and base and rate >= 1.5 * base),
        }
    ]
    measured = engine.get("complete") or engine.get("capped_at_s")
    status = "ok" if measured and noop.get("complete") else "failed"
    return {
        "status": status,
        "rows": rows,
        "bound": _bound_text(work, engine),
        "details": {"db_work": work, "noop": noop, "engine": engine},
    }


def db_work_per_job(client_id: int) -> dict:
    """Queries and commits per job of create (500 in one call), dispatch (500) and execute (1)."""
    from apps.delivery.services.dispatch import dispatch_once
    from apps.delivery.services.execute import job_execute
    from apps.delivery.services.jobs import jobs_create

    batch = 500
    specs = jobsgen.sms_specs(batch)
    with db_work() as create:
        jobs = jobs_create(client_id=client_id, specs=specs)
    with db_work() as dispatch:
        claimed = dispatch_once(limit=batch)
    with db_work() as execute:
        status = job_execute(job_id=jobs[0].id)
    per_job = {
        "create": _per(create, batch),
        "dispatch": _per(dispatch, claimed or 1),
        "execute": _per(execute, 1),
    }
    per_job["total"] = {
        key: round(sum(part[key] for part in per_job.values()), 2)
        for key in ("queries", "writes", "commits")
    }
    per_job["execute_statements"] = execute["statements"]
    per_job["execute_status"] = status
    return per_job


def _per(work: dict, jobs: int) -> dict:
    return {key: round(work[key] / jobs, 3) for key in ("queries", "writes", "reads", "commits")}


def noop_drain(count: int) -> dict:
    """Publish ``count`` no-ops with no worker running, then time the worker's drain."""
    from bench.noop import noop

    started = time.perf_counter()
    for _ in range(count):
        noop.apply_async(queue=NOOP_QUEUE)
    publish_seconds = time.perf_counter() - started
    broker = redis.Redis.from_url(REDIS_URL)
    worker = procs.worker_start()
    try:
        first = _first_take(broker, count, worker)
        cpu = CpuSample(cpu_groups([worker]), poll=0.5).start()
        drained = wait_for(
            lambda: not broker.llen(NOOP_QUEUE) and not broker.hlen("unacked"),
            timeout=max(120.0, count / 50),
            interval=0.005,
        )
        end = time.monotonic()
        cpu.stop()
    finally:
        worker.stop()
    seconds = end - first
    return {
        "messages": count,
        "complete": drained,
        "publish_seconds": round(publish_seconds, 2),
        "apply_async_per_s": round(count / publish_seconds, 1),
        "drain_seconds": round(seconds, 2),
        "messages_per_s": round(count / seconds, 1) if drained else None,
        "cpu": cpu.as_dict(count),
    }


def _first_take(broker, count: int, worker) -> float:
    """The moment the worker takes the first message off the queue."""
    deadline = time.monotonic() + 120
    while broker.llen(NOOP_QUEUE) >= count:
        if time.monotonic() > deadline or not worker.alive():
            raise RuntimeError(f"the worker never consumed:\n{worker.log_tail()}")
        time.sleep(0.002)
    return time.monotonic()


def engine_drain(client_id: int, count: int) -> dict:
    """Store ``count`` due jobs in one transaction; time the engine's drain of them.

    The drain is cut after DRAIN_CAP seconds (the rate then comes from the jobs that finished),
    so a slow engine cannot push the whole run past its time budget.
    """
    from apps.delivery.models import Attempt, Job

    with procs.engine() as started:
        specs = jobsgen.sms_specs(count, log_tag="bench-exec")
        cpu = CpuSample(cpu_groups(started), poll=0.5).start()
        create_seconds = jobsgen.jobs_create_chunked(client_id=client_id, specs=specs)
        finished = Job.objects.filter(status__in=Job.FINISHED)
        broker, began = {}, time.monotonic()

        def progress() -> int:
            jobsgen.failures_check()
            done = finished.count()
            if not broker and (done >= count // 2 or time.monotonic() - began > 30):
                broker.update(_broker_state())  # mid-drain: how full are the messages?
            return done

        complete = wait_progress(progress, count, stall=60.0, timeout=DRAIN_CAP)
        capped = not complete and time.monotonic() - began >= DRAIN_CAP
        cpu.stop()
    jobs = Job.objects.filter(log_tag="bench-exec")
    done = jobs.filter(status__in=Job.FINISHED)
    span = done.aggregate(first=Min("started_at"), last=Max("finished_at"), n=Count("id"))
    seconds = (span["last"] - span["first"]).total_seconds() if span["last"] else None
    counts = dict(jobs.order_by().values_list("status").annotate(n=Count("id")))
    succeeded = counts.get("succeeded", 0)
    return {
        "jobs": count,
        "jobs_measured": span["n"],
        "complete": complete and succeeded == count,
        "capped_at_s": DRAIN_CAP if capped else None,
        "create_seconds": round(create_seconds, 2),
        "drain_seconds": round(seconds, 2) if seconds else None,
        "jobs_per_s": round(span["n"] / seconds, 1) if seconds and (complete or capped) else None,
        "statuses": counts,
        "attempts": Attempt.objects.filter(job__log_tag="bench-exec").count(),
        "broker_mid_drain": broker,
        "cpu": cpu.as_dict(span["n"]),
    }


def _broker_state() -> dict:
    """Messages waiting in the ``default`` queue vs moderate jobs queued (mid-drain)."""
    from django.conf import settings

    from apps.delivery.models import Job

    messages = redis.Redis.from_url(REDIS_URL).llen("default")
    queued = Job.objects.filter(status=Job.Status.QUEUED).count()
    return {
        "messages": messages,
        "jobs_queued": queued,
        "jobs_per_message": round(queued / messages, 2) if messages else None,
        "configured_batch": settings.FUSION_EXECUTE_BATCH[1],
    }


def _bound_text(work: dict, engine: dict) -> str:
    execute, total = work["execute"], work["total"]
    cut = ""
    if engine.get("capped_at_s"):
        cut = (
            f"Measured on the {engine['jobs_measured']:,} jobs that finished before the drain "
            f"was cut at {engine['capped_at_s']:.0f} s. "
        )
    cpu = engine.get("cpu", {})
    per_job = cpu.get("cpu_ms_per_unit", {})
    busiest = ", ".join(f"{k} {v} ms" for k, v in sorted(per_job.items(), key=lambda kv: -kv[1]))
    broker = engine.get("broker_mid_drain") or {}
    return cut + (
        f"job_execute makes {execute['queries']:.0f} queries ({execute['writes']:.0f} writes, "
        f"{execute['commits']:.0f} commits) per job; create+dispatch+execute "
        f"{total['queries']} queries / {total['commits']} commits per job. "
        f"CPU per job during the drain: {busiest}; machine busy "
        f"{round(100 * cpu.get('machine_busy', 0))}% of {CORES} cores. Mid-drain the "
        f"default queue held {broker.get('messages')} messages for {broker.get('jobs_queued')} "
        f"queued jobs ({broker.get('jobs_per_message')} per message; configured "
        f"{broker.get('configured_batch')})."
    )
