"""Benchmark 2, schedule: due jobs fire on time with 1M future jobs stored; the claim's cost.

1. claim cost on an almost empty table: ``claim_rows`` due rows (COPY), the dispatcher's
   ``_claim`` (SELECT … FOR UPDATE SKIP LOCKED + UPDATE) timed in a rolled-back transaction,
   median of ``claim_reps`` runs; the same for a whole ``dispatch_once``.
2. store: ``store_sample`` future jobs through ``jobs_create`` (1,000 per transaction, as the
   API would), then the rest of the ``future_jobs`` with COPY (the raw baseline), then ANALYZE.
3. claim cost again, with the future rows stored: the ratio to step 1 (target ≤ 1.5×).
4. lateness: ``due_jobs`` jobs due evenly over ``due_window`` seconds, run by the real
   dispatcher (ticked every second) and worker; lateness = started_at − run_at (and
   queued_at − run_at, the dispatch alone); none missed, none run twice.
"""

import statistics
import time
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from bench import jobsgen, procs
from bench.env import state_reset
from bench.measure import CpuSample, cpu_groups, ratio, summary, wait_for

CLAIM_TAG = "bench-claim"
DUE_TAG = "bench-due"
LEAD_SECONDS = 5.0  # between storing the due jobs and the first one falling due


def run(sizes, client_id: int) -> dict:
    state_reset()
    empty = claim_cost(client_id, sizes.claim_rows, sizes.claim_reps)
    store = store_future(client_id, sizes.future_jobs, sizes.store_sample)
    full = claim_cost(client_id, sizes.claim_rows, sizes.claim_reps)
    due = due_run(client_id, sizes)
    claim_ratio = ratio(full["claim_ms_median"], empty["claim_ms_median"])
    start = due.get("start_lateness_s", {})
    rows = [
        _row(
            f"schedule: claim {sizes.claim_rows} due rows, {sizes.future_jobs:,} future stored",
            full["claim_ms_median"],
            "ms",
            empty["claim_ms_median"],
            "same claim, empty table",
            claim_ratio,
            "≤1.5× (B5)",
            claim_ratio is not None and claim_ratio <= 1.5,
        ),
        _row(
            "schedule: store future jobs with jobs_create",
            store["jobs_create_rows_per_s"],
            "jobs/s",
            store["copy_rows_per_s"],
            f"raw COPY of {store['copy_rows']:,} rows",
            ratio(store["jobs_create_rows_per_s"], store["copy_rows_per_s"], 3),
            "reported",
            None,
        ),
        _row(
            f"schedule: lateness p99 ({sizes.due_jobs:,} due over {sizes.due_window:.0f} s)",
            start.get("p99"),
            "s",
            1.0,
            "dispatcher tick T",
            ratio(start.get("p99"), 1.0),
            "p99 ≤1.25 s (B4)",
            start.get("p99") is not None and start["p99"] <= 1.25,
        ),
        _row(
            "schedule: missed / run twice",
            f"{due['missed']} / {due['twice']}",
            "",
            None,
            "",
            None,
            "0 / 0",
            due["missed"] == 0 and due["twice"] == 0,
        ),
    ]
    ok = due["missed"] == 0 and due["twice"] == 0
    return {
        "status": "ok" if ok else "failed",
        "rows": rows,
        "bound": _bound_text(due, empty, full, store),
        "details": {"claim_empty": empty, "claim_full": full, "store": store, "due": due},
    }


def _row(metric, value, unit, baseline, label, ratio_value, target, met) -> dict:
    return {
        "metric": metric,
        "value": value,
        "unit": unit,
        "baseline": baseline,
        "baseline_label": label,
        "ratio": ratio_value,
        "target": target,
        "met": met,
    }


def claim_cost(client_id: int, rows: int, reps: int) -> dict:
    """Median time of the dispatcher's claim of ``rows`` due rows (rolled back each time)."""
    from apps.delivery.models import Job, Priority
    from apps.delivery.services.dispatch import _claim, dispatch_once

    now = timezone.now()
    due = ((Priority.MODERATE, now - timedelta(seconds=60 - i * 60 / rows)) for i in range(rows))
    jobsgen.jobs_copy(client_id=client_id, rows=due, log_tag=CLAIM_TAG)
    jobsgen.analyze_jobs()

    def timed(call) -> float:
        with transaction.atomic():
            started = time.perf_counter()
            claimed = call()
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        if claimed != rows:
            raise RuntimeError(f"claimed {claimed} of {rows} due rows")
        return elapsed * 1000

    def claim():
        return len(_claim(Priority.MODERATE, rows, timezone.now()))

    def select():  # the claim's SELECT … FOR UPDATE SKIP LOCKED alone, without its UPDATE
        return len(list(_claim_query(rows)))

    def dispatch():
        return dispatch_once(limit=rows)

    for _ in range(2):  # warm caches and the connection
        timed(claim)
    claims = [timed(claim) for _ in range(reps)]
    selects = [timed(select) for _ in range(reps)]
    dispatches = [timed(dispatch) for _ in range(max(3, reps // 3))]
    plan = _claim_plan(rows)
    Job.objects.filter(log_tag=CLAIM_TAG).delete()
    stored = Job.objects.count()
    return {
        "rows_stored": stored,
        "due_rows": rows,
        "claim_ms_median": round(statistics.median(claims), 2),
        "claim_ms_min": round(min(claims), 2),
        "claim_select_ms_median": round(statistics.median(selects), 2),
        "dispatch_once_ms_median": round(statistics.median(dispatches), 2),
        "claim_plan": plan,
    }


def _claim_query(rows: int):
    """The SELECT of the dispatcher's claim (as in apps.delivery.services.dispatch._claim)."""
    from apps.delivery.models import Job, Priority

    return (
        Job.objects.filter(status__in=Job.WAITING, priority=Priority.MODERATE)
        .filter(run_at__lte=timezone.now())
        .order_by("run_at", "id")
        .select_for_update(skip_locked=True)
        .values_list("id", flat=True)[:rows]
    )


def _claim_plan(rows: int) -> list[str]:
    """EXPLAIN ANALYZE of the claim's SELECT: the plan's node lines and execution time."""
    query = _claim_query(rows)
    with transaction.atomic(), connection.cursor() as cursor:
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {sql}", params)
        lines = [line[0].strip() for line in cursor.fetchall()]
        transaction.set_rollback(True)
    return [line for line in lines if line.startswith(("->", "Limit", "Execution", "Index"))][:8]


def store_future(client_id: int, total: int, sample: int) -> dict:
    """``sample`` future jobs through jobs_create, the rest by COPY; both rates."""
    now = timezone.now()
    spread = 30 * 86400 / total  # over 30 days, starting 2 days ahead

    def at(i: int):
        return now + timedelta(days=2, seconds=i * spread)

    specs = jobsgen.sms_specs(sample, run_at=at, log_tag="bench-future")
    for index, spec in enumerate(specs):
        spec.priority = index % 3
    create_seconds = jobsgen.jobs_create_chunked(
        client_id=client_id, specs=specs, chunk=1000, atomic=False
    )
    rows = ((i % 3, at(i)) for i in range(sample, total))
    copied, copy_seconds = jobsgen.jobs_copy(client_id=client_id, rows=rows, log_tag="bench-future")
    started = time.perf_counter()
    jobsgen.analyze_jobs()
    return {
        "jobs_create_rows": sample,
        "jobs_create_seconds": round(create_seconds, 2),
        "jobs_create_rows_per_s": round(sample / create_seconds, 1),
        "copy_rows": copied,
        "copy_seconds": round(copy_seconds, 2),
        "copy_rows_per_s": round(copied / copy_seconds, 1),
        "analyze_seconds": round(time.perf_counter() - started, 2),
        **_table_size(total),
    }


def _table_size(rows: int) -> dict:
    """Size of the job table with its indexes, per stored job."""
    from apps.delivery.models import Job

    table = Job._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s)", [table])
        size = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = %s", [table])
        indexes = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    return {
        "table_mb": round(size / 1024 / 1024, 1),
        "bytes_per_job": round(size / rows) if rows else None,
        "indexes": indexes,
        "shared_buffers": buffers,
    }


def due_run(client_id: int, sizes) -> dict:
    """Jobs due evenly over the window; run them with the real engine; how late, how often."""
    from apps.delivery.models import Job

    count, window = sizes.due_jobs, sizes.due_window
    step = window / count
    with procs.engine() as started:
        start = timezone.now() + timedelta(seconds=LEAD_SECONDS)
        specs = jobsgen.sms_specs(
            count, run_at=lambda i: start + timedelta(seconds=i * step), log_tag=DUE_TAG
        )
        create_seconds = jobsgen.jobs_create_chunked(client_id=client_id, specs=specs)
        cpu = CpuSample(cpu_groups(started), poll=0.5).start()
        jobs = Job.objects.filter(log_tag=DUE_TAG)
        deadline = (start - timezone.now()).total_seconds() + window + sizes.due_grace

        def finished() -> bool:
            jobsgen.failures_check()
            return jobs.filter(status__in=Job.FINISHED).count() >= count

        done = wait_for(
            finished,
            timeout=deadline,
            interval=1.0,
        )
        cpu.stop()
    return _lateness(jobs, count, start, window, create_seconds, done, cpu)


def _lateness(jobs, count, start, window, create_seconds, done, cpu) -> dict:
    rows = list(
        jobs.annotate(
            tries=Count("attempts"), wins=Count("attempts", filter=Q(attempts__outcome="succeeded"))
        ).values_list(
            "run_at", "queued_at", "started_at", "status", "attempts_made", "tries", "wins"
        )
    )
    span = jobs.aggregate(first=Min("started_at"), last=Max("finished_at"))
    ran_for = (span["last"] - span["first"]).total_seconds() if span["last"] else None
    started = [(r[0], (r[2] - r[0]).total_seconds()) for r in rows if r[2]]
    queued = [(r[1] - r[0]).total_seconds() for r in rows if r[1]]
    succeeded = sum(1 for r in rows if r[3] == "succeeded")
    twice = sum(1 for r in rows if r[4] > 1 or r[5] > 1 or r[6] > 1)
    early = sum(1 for _, late in started if late < 0)
    tenth = timedelta(seconds=window / 10)
    first = [late for at, late in started if at < start + tenth]
    last = [late for at, late in started if at >= start + 9 * tenth]
    return {
        "jobs": count,
        "window_s": window,
        "create_seconds": round(create_seconds, 2),
        "all_finished_in_grace": done,
        "succeeded": succeeded,
        "missed": count - succeeded,
        "executed_per_s": round(succeeded / ran_for, 1) if ran_for else None,
        "twice": twice,
        "started_early": early,
        "start_lateness_s": summary([late for _, late in started]),
        "dispatch_lateness_s": summary(queued),
        "drift_s": {
            "first_tenth_mean": round(statistics.fmean(first), 3) if first else None,
            "last_tenth_mean": round(statistics.fmean(last), 3) if last else None,
        },
        "cpu": cpu.as_dict(count),
    }


def _bound_text(due: dict, empty: dict, full: dict, store: dict) -> str:
    start, queued = due.get("start_lateness_s", {}), due.get("dispatch_lateness_s", {})
    cores = due.get("cpu", {}).get("cores_by_kind", {})
    drift = due.get("drift_s", {})
    due_rate = round(due["jobs"] / due["window_s"], 1)
    behind = (due.get("executed_per_s") or 0) < due_rate
    return (
        f"claim {full['claim_ms_median']} ms with {full['rows_stored']:,} rows stored vs "
        f"{empty['claim_ms_median']} ms empty; its SELECT … SKIP LOCKED alone "
        f"{full['claim_select_ms_median']} vs {empty['claim_select_ms_median']} ms (index scan "
        f"on delivery_job_due), so the difference is the UPDATE of the claimed rows, which "
        f"writes new entries in all {store['indexes']} indexes of a {store['table_mb']} MB table "
        f"(shared_buffers {store['shared_buffers']}; {store['bytes_per_job']} bytes per "
        f"stored job). "
        f"Lateness: jobs fell due at {due_rate} jobs/s and were executed at "
        f"{due.get('executed_per_s')} jobs/s (worker {cores.get('worker')} cores, postgres "
        f"{cores.get('postgres')}, dispatcher {cores.get('dispatcher')}); "
        f"{'so a backlog built up: ' if behind else ''}dispatch (queued_at − run_at) "
        f"p50 {queued.get('p50')} s / p99 {queued.get('p99')} s, start (started_at − run_at) "
        f"p50 {start.get('p50')} s / p99 {start.get('p99')} s; mean start lateness "
        f"{drift.get('first_tenth_mean')} s in the first tenth of the window, "
        f"{drift.get('last_tenth_mean')} s in the last."
    )
