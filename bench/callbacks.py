"""Benchmark 5, callbacks: call tasks paced by a task scheduler's concurrent_task_limit.

For L = 50 and L = 5 (interval 0), and L = 5 with an interval of 1 s: a TaskScheduler (no ASR
guard, no calling hours) gets N CallTasks, all due now, stored with ``call_tasks_create``
(which pumps on commit).
The real engine runs them: the Procfile's worker with ``--concurrency L`` (a call holds a
worker process for its length), urgent, the dispatcher and the ticker (``callbacks_pump``
every second); a ``simulator`` voice provider answers every call and holds it 0.5–3 s.

- every status change of the tasks is logged by a trigger the benchmark puts on the task
  table (clock_timestamp() of the pump's or the outcome's write), so each task's path
  (scheduled → delayed_concurrent_task → executed → finished) and its ``executed`` span are
  exact; the number of ``executed`` tasks is also sampled every 50 ms from the runner.
- figures: max concurrency at every start/end event (≤ L), mean concurrency between the first
  and the last start, i.e. while a backlog exists (≥ 0.9 L), the smallest gap between two
  starts (≥ interval), deferrals with their delayed_* status, tasks finished, wall time.
- baseline: the ideal wall time, total call seconds (sum of the simulator's call lengths) / L.
"""

import statistics
import threading
import time
from contextlib import contextmanager

from django.db import connection, connections
from django.db.models import Count, Min, Sum

from bench import procs
from bench.callbacks_report import CALL_MAX, CALL_MIN, WAITING, bound_text, rows_of
from bench.env import state_reset
from bench.measure import CpuSample, cpu_groups, summary, wait_progress

SAMPLE_EVERY = 0.05  # seconds
LOG_TABLE = "bench_calltask_status"


def run(sizes, client_id: int) -> dict:
    runs = []
    with _simulator_only(client_id), _status_log():
        for limit, count, interval in (
            (50, sizes.callbacks_tasks_high, 0.0),
            (5, sizes.callbacks_tasks_low, 0.0),
            (5, sizes.callbacks_interval_tasks, sizes.callbacks_interval),
        ):
            state_reset()
            label = f"L={limit}, interval {interval:g} s, {count:,} tasks"
            print(f"bench: callbacks {label} …", flush=True)
            runs.append(limit_run(client_id, limit, count, interval))
    rows = [row for result in runs for row in rows_of(result)]
    ok = all(r["complete"] and r["max_concurrency"] <= r["limit"] for r in runs)
    ok = ok and all((r["min_start_gap_s"] or 0) >= r["interval_s"] for r in runs)
    return {
        "status": "ok" if ok else "failed",
        "rows": rows,
        "bound": bound_text(runs),
        "details": {"runs": runs},
    }


# --- the world of one run ------------------------------------------------------------------


@contextmanager
def _simulator_only(client_id: int):
    """A ``simulator`` voice provider (calls 0.5–3 s); the sandbox stops serving voice
    meanwhile (else the engine's weighted choice would send half the calls to it)."""
    from apps.providers.catalog import SERVICE_FLAGS
    from apps.providers.models import Provider

    voice = SERVICE_FLAGS["voice"]
    others = list(
        Provider.objects.filter(client_id=client_id, active=True).exclude(type="simulator")
    )
    saved = {p.id: p.service_flag for p in others}
    simulator = Provider.objects.create(
        client_id=client_id,
        name="bench-simulator",
        type="simulator",
        service_flag=voice,
        settings={"min_seconds": CALL_MIN, "max_seconds": CALL_MAX},
    )
    try:
        for provider in others:
            Provider.objects.filter(pk=provider.pk).update(service_flag=saved[provider.id] & ~voice)
        yield simulator
    finally:
        for provider_id, flag in saved.items():
            Provider.objects.filter(pk=provider_id).update(service_flag=flag)
        simulator.delete()


@contextmanager
def _status_log():
    """A trigger logging every status change of a call task (old, new, clock_timestamp())."""
    from apps.callbacks.models import CallTask

    table = CallTask._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {LOG_TABLE} (id bigserial PRIMARY KEY, "
            "task_id bigint NOT NULL, old text, new text NOT NULL, "
            "at timestamptz NOT NULL DEFAULT clock_timestamp())"
        )
        cursor.execute(
            "CREATE OR REPLACE FUNCTION bench_calltask_status_log() RETURNS trigger AS $$ "
            f"BEGIN INSERT INTO {LOG_TABLE} (task_id, old, new) "
            "VALUES (NEW.id, OLD.status, NEW.status); RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(f"DROP TRIGGER IF EXISTS bench_status_log ON {table}")
        cursor.execute(
            f"CREATE TRIGGER bench_status_log AFTER UPDATE OF status ON {table} FOR EACH ROW "
            "WHEN (OLD.status IS DISTINCT FROM NEW.status) "
            "EXECUTE FUNCTION bench_calltask_status_log()"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS bench_status_log ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS bench_calltask_status_log()")
            cursor.execute(f"DROP TABLE IF EXISTS {LOG_TABLE}")


class StatusSampler(threading.Thread):
    """Every SAMPLE_EVERY s: how many of the scheduler's tasks are in each status."""

    def __init__(self, scheduler_id: int):
        super().__init__(daemon=True)
        self.scheduler_id = scheduler_id
        self.samples: list[tuple[float, dict]] = []
        self._halt = threading.Event()

    def run(self) -> None:
        from apps.callbacks.models import CallTask

        tasks = CallTask.objects.filter(scheduler_id=self.scheduler_id).order_by()
        try:
            while not self._halt.wait(SAMPLE_EVERY):
                counts = dict(tasks.values_list("status").annotate(n=Count("id")))
                self.samples.append((time.monotonic(), counts))
        finally:
            connections.close_all()  # this thread's own connection

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


# --- one limit -----------------------------------------------------------------------------


def limit_run(client_id: int, limit: int, count: int, interval: float = 0.0) -> dict:
    from apps.callbacks.models import CallTask, TaskScheduler
    from apps.callbacks.services.tasks import call_tasks_create

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {LOG_TABLE}")
    scheduler = TaskScheduler.objects.create(
        client_id=client_id,
        name=f"bench L={limit} interval {interval:g}",
        concurrent_task_limit=limit,
        interval=interval,
        asr_window=0,
    )
    expected = max(count * (CALL_MIN + CALL_MAX) / 2 / limit, count * interval)
    cap = max(60.0, 2.5 * expected)
    tasks = [
        {"name": f"bench {i}", "a_number": f"+1555{i:07d}", "b_number": f"+1666{i:07d}"}
        for i in range(count)
    ]
    finished = CallTask.objects.filter(scheduler_id=scheduler.id, status="finished")
    with procs.engine(worker_concurrency=limit) as started:
        cpu = CpuSample(cpu_groups(started), poll=0.5).start()
        sampler = StatusSampler(scheduler.id)
        sampler.start()
        began = time.monotonic()
        call_tasks_create(scheduler=scheduler, tasks=tasks)  # pumps on commit
        complete = wait_progress(finished.count, count, stall=30.0, timeout=cap, interval=0.25)
        elapsed = time.monotonic() - began
        sampler.stop()
        cpu.stop()
    result = {
        "limit": limit,
        "tasks": count,
        "worker_concurrency": limit,
        "complete": complete,
        "waited_s": round(elapsed, 1),
        "cap_s": round(cap, 1),
    }
    result.update(_analyse(scheduler.id, limit, interval))
    result["samples"] = _sampled(sampler.samples, limit)
    result["cpu"] = cpu.as_dict(result["finished"])
    TaskScheduler.objects.filter(pk=scheduler.id).delete()
    return result


def _analyse(scheduler_id: int, limit: int, interval: float) -> dict:
    from apps.callbacks.models import CallRecord, CallTask

    tasks = CallTask.objects.filter(scheduler_id=scheduler_id)
    ids = set(tasks.values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT task_id, old, new, extract(epoch FROM at) FROM {LOG_TABLE} ORDER BY id"
        )
        log = [row for row in cursor.fetchall() if row[0] in ids]
    paths: dict[int, list[str]] = {}
    start: dict[int, float] = {}
    end: dict[int, float] = {}
    for task_id, old, new, at in log:
        path = paths.setdefault(task_id, [old])
        path.append(new)
        if new == "executed":
            start[task_id] = float(at)
        elif old == "executed":
            end[task_id] = float(at)
    spans = [(start[t], end.get(t)) for t in start]
    series = _concurrency([(s, e) for s, e in spans])
    first_start = min(start.values()) if start else None
    last_start = max(start.values()) if start else None
    last_end = max((e for _, e in spans if e), default=None)
    backlog_mean = _mean_between(series, first_start, last_start)

    # calls in progress (the simulator's own times, from the call records)
    records = CallRecord.objects.filter(scheduler_id=scheduler_id)
    call_spans = [
        (s.timestamp(), e.timestamp())
        for s, e in records.values_list("answered_at", "ended_at")
        if s and e
    ]
    calls_series = _concurrency(call_spans)
    totals = records.aggregate(seconds=Sum("duration"), answered=Count("id"))
    call_seconds = totals["seconds"] or 0.0
    ideal = call_seconds / limit if call_seconds else None
    created = tasks.aggregate(first=Min("created_at"))["first"]
    wall = (last_end - created.timestamp()) if last_end and created else None

    # the pump's start times: the smallest gap between two starts vs interval
    started_at = sorted(t.timestamp() for t in tasks.values_list("started_at", flat=True) if t)
    gaps = [b - a for a, b in zip(started_at, started_at[1:], strict=False)]
    first_pass = tasks.aggregate(first=Min("started_at"))["first"]
    direct = [
        t for t, p in paths.items() if p[:2] == ["scheduled", "executed"]
    ]  # never shown as waiting
    direct_late = tasks.filter(id__in=direct).exclude(started_at=first_pass).count()
    deferred_shown = sum(
        1 for t, p in paths.items() if t not in direct and any(s in p for s in WAITING)
    )
    via = {
        status: sum(1 for p in paths.values() if status in p)
        for status in ("delayed_concurrent_task", "delayed_interval", "delayed_asr", "delayed")
    }
    path_counts: dict[str, int] = {}
    for p in paths.values():
        key = " → ".join(_squash(p))
        path_counts[key] = path_counts.get(key, 0) + 1
    results = dict(tasks.values_list("finish_result").annotate(n=Count("id")))
    lag = _lags(scheduler_id, start, end)
    return {
        "finished": tasks.filter(status="finished").count(),
        "finish_results": results,
        "max_concurrency": max((c for _, c in series), default=0),
        "mean_concurrency_backlog": round(backlog_mean, 2) if backlog_mean is not None else None,
        "backlog_seconds": round(last_start - first_start, 2) if start else None,
        "max_calls_in_progress": max((c for _, c in calls_series), default=0),
        "mean_calls_in_progress_backlog": _round(
            _mean_between(calls_series, first_start, last_start)
        ),
        "min_start_gap_s": round(min(gaps), 4) if gaps else None,
        "interval_s": interval,
        "started_directly": len(direct),
        "started_directly_after_first_pass": direct_late,
        "deferred_shown": deferred_shown,
        "passed_through": via,
        "paths": path_counts,
        "total_call_seconds": round(call_seconds, 1),
        "calls": totals["answered"],
        "ideal_wall_s": round(ideal, 2) if ideal else None,
        "wall_s": round(wall, 2) if wall else None,
        "first_start_after_create_s": _round(first_start - created.timestamp())
        if first_start and created
        else None,
        "lag": lag,
    }


def _lags(scheduler_id: int, start: dict, end: dict) -> dict:
    """Where a slot's time goes besides the call: executed → call answered (pump's job through
    dispatcher and worker) and call ended → task finished (outcome), mean/p95 seconds."""
    from apps.callbacks.models import CallRecord

    before, after = [], []
    for task_id, answered, ended in CallRecord.objects.filter(
        scheduler_id=scheduler_id
    ).values_list("task_id", "answered_at", "ended_at"):
        if task_id in start and answered:
            before.append(answered.timestamp() - start[task_id])
        if task_id in end and ended:
            after.append(end[task_id] - ended.timestamp())
    return {"executed_to_call": summary(before), "call_end_to_finished": summary(after)}


def _squash(path: list[str]) -> list[str]:
    out: list[str] = []
    for status in path:
        if not out or out[-1] != status:
            out.append(status)
    return out


def _concurrency(spans: list[tuple[float, float | None]]) -> list[tuple[float, int]]:
    """(time, how many spans are open just after it) at every start and end."""
    events = [(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans if e is not None]
    events.sort(key=lambda ev: (ev[0], ev[1]))  # an end before a start at the same instant
    series, current = [], 0
    for at, step in events:
        current += step
        series.append((at, current))
    return series


def _mean_between(series: list[tuple[float, int]], lo: float | None, hi: float | None):
    """Time-weighted mean of a step series over [lo, hi]."""
    if not series or lo is None or hi is None or hi <= lo:
        return None
    area, level, prev = 0.0, 0, lo
    for at, value in series:
        if at > hi:
            break
        if at >= lo:
            area += level * (at - prev)
            prev = at
        level = value
    area += level * (hi - prev)
    return area / (hi - lo)


def _sampled(samples: list[tuple[float, dict]], limit: int) -> dict:
    """The 50 ms samples: max executed, mean executed while tasks wait, statuses seen."""
    waiting = ("scheduled", "delayed_concurrent_task", "delayed_interval", "delayed_asr")
    executed = [c.get("executed", 0) for _, c in samples]
    backlog = [c.get("executed", 0) for _, c in samples if sum(c.get(s, 0) for s in waiting)]
    seen = sorted({s for _, c in samples for s in c})
    return {
        "n": len(samples),
        "max_executed": max(executed, default=0),
        "mean_executed_backlog": round(statistics.fmean(backlog), 2) if backlog else None,
        "backlog_samples": len(backlog),
        "statuses_seen": seen,
        "max_delayed_concurrent_task": max(
            (c.get("delayed_concurrent_task", 0) for _, c in samples), default=0
        ),
    }


def _round(value, digits: int = 2):
    return round(value, digits) if value is not None else None


# --- report --------------------------------------------------------------------------------
