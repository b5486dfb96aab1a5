"""The callbacks benchmark's table rows and its "what bounds it" text."""

from bench.measure import ratio

CALL_MIN, CALL_MAX = 0.5, 3.0  # seconds a simulated call lasts
TARGET_MEAN = 0.9  # × L while a backlog exists


WAITING = ("delayed_concurrent_task", "delayed_interval", "delayed_asr")


def rows_of(r: dict) -> list[dict]:
    limit, interval = r["limit"], r["interval_s"]
    name = f"callbacks L={limit}" + (f", interval {interval:g} s" if interval else "")
    size = f"{r['tasks']:,} tasks, calls {CALL_MIN:g}–{CALL_MAX:g} s"
    rows = [
        {
            "metric": f"{name}: max tasks executed at once ({size})",
            "value": r["max_concurrency"],
            "baseline": limit,
            "baseline_label": "concurrent_task_limit",
            "baseline_unit": "",
            "ratio": ratio(r["max_concurrency"], limit),
            "target": f"≤ {limit} at every event",
            "met": r["max_concurrency"] <= limit,
        }
    ]
    rows.append(_interval_row(r, name) if interval else _mean_row(r, name))
    if not interval:
        rows.append(_wall_row(r, name))
    return [*rows, _deferrals_row(r, name)]


def _mean_row(r: dict, name: str) -> dict:
    mean, limit = r["mean_concurrency_backlog"], r["limit"]
    return {
        "metric": f"{name}: mean tasks executed while a backlog waits",
        "value": mean,
        "baseline": limit,
        "baseline_label": "L",
        "baseline_unit": "",
        "ratio": ratio(mean, limit),
        "target": f"≥ {TARGET_MEAN} L",
        "met": bool(mean and mean >= TARGET_MEAN * limit),
    }


def _interval_row(r: dict, name: str) -> dict:
    gap, interval = r["min_start_gap_s"], r["interval_s"]
    return {
        "metric": f"{name}: smallest gap between two task starts",
        "value": gap,
        "unit": "s",
        "baseline": interval,
        "baseline_label": "interval",
        "ratio": ratio(gap, interval),
        "target": "≥ interval",
        "met": gap is not None and gap >= interval,
    }


def _wall_row(r: dict, name: str) -> dict:
    return {
        "metric": f"{name}: wall time, created → last finished",
        "value": r["wall_s"],
        "unit": "s",
        "baseline": r["ideal_wall_s"],
        "baseline_label": f"ideal: {r['total_call_seconds']:,} call-seconds / L",
        "ratio": ratio(r["wall_s"], r["ideal_wall_s"]),
        "target": "reported",
    }


def _deferrals_row(r: dict, name: str) -> dict:
    deferred = r["tasks"] - r["started_directly"]
    via = {status: r["passed_through"][status] for status in WAITING}
    shown = r["deferred_shown"]
    not_shown = r["started_directly_after_first_pass"]
    gap = r["min_start_gap_s"]
    return {
        "metric": f"{name}: deferrals shown / finished / start gap",
        "value": (
            f"{shown:,} of {deferred:,} deferred shown a delayed_* status "
            f"({', '.join(f'{s} {n:,}' for s, n in via.items() if n)}; {not_shown} not shown); "
            f"{r['finished']:,}/{r['tasks']:,} finished; min gap {gap} s ≥ interval "
            f"{r['interval_s']:g}"
        ),
        "target": "all shown, all finished",
        "met": (
            r["complete"]
            and not_shown == 0
            and shown == deferred
            and r["finished"] == r["tasks"]
            and (gap is None or gap >= r["interval_s"])
        ),
    }


def bound_text(runs: list[dict]) -> str:
    parts = []
    for r in runs:
        lag = r["lag"]
        cpu = r.get("cpu", {})
        by_kind = sorted(cpu.get("cores_by_kind", {}).items(), key=lambda kv: -kv[1])
        cores = ", ".join(f"{k} {v}" for k, v in by_kind)
        parts.append(
            f"L={r['limit']} (worker --concurrency {r['worker_concurrency']}): a slot is "
            f"'executed' for its call plus executed→call answered p50 "
            f"{lag['executed_to_call'].get('p50')} s / p95 {lag['executed_to_call'].get('p95')} s "
            f"(the pump's voice job through dispatcher and worker) and call end→finished p50 "
            f"{lag['call_end_to_finished'].get('p50')} s; calls actually in progress while a "
            f"backlog waited: mean {r['mean_calls_in_progress_backlog']} (max "
            f"{r['max_calls_in_progress']}). 50 ms samples: max executed "
            f"{r['samples']['max_executed']}, mean {r['samples']['mean_executed_backlog']} with "
            f"a backlog. Paths: {r['paths']}. Cores used: {cores}; machine busy "
            f"{round(100 * cpu.get('machine_busy', 0))}%."
        )
    return (
        " ".join(parts)
        + " With interval 0 the start-gap check is only a sanity check; the third run paces "
        "starts by the interval (its mean concurrency is bounded by interval, not by L)."
    )
