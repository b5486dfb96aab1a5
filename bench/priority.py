"""Benchmark 3, priority: an OTP's wait behind a large low-priority backlog, vs an idle system.

Baseline: ``priority_samples`` high-priority SMS jobs (OTPs), one every ``priority_interval``
seconds, on an idle engine. Figure: the same while ``priority_backlog`` low-priority jobs (due,
stored in one transaction) are being drained. Latency = started_at − created_at; an OTP that
has not started ``OTP_WAIT`` seconds after the last one was created counts with its wait so
far (a lower bound), so a starved OTP cannot stall the run.

Diagnostics: the order in which the delivery worker pops its queues (its BRPOP, seen through
Redis MONITOR for a moment) and how many jobs each low message carries.
"""

import time

import redis
from django.db.models import Count
from django.utils import timezone

from bench import jobsgen, procs
from bench.env import REDIS_URL, state_reset
from bench.measure import CpuSample, cpu_groups, ratio, summary, wait_for

OTP_WAIT = 20.0
WORKER_QUEUES = ("high", "default", "low")


def run(sizes, client_id: int) -> dict:
    from apps.delivery.models import Job, Priority

    state_reset()
    with procs.engine() as started:
        idle = otp_latency(client_id, sizes, "bench-otp-idle")
        specs = jobsgen.sms_specs(
            sizes.priority_backlog, priority=Priority.LOW, log_tag="bench-low"
        )
        create_seconds = jobsgen.jobs_create_chunked(client_id=client_id, specs=specs, chunk=5000)
        low = Job.objects.filter(log_tag="bench-low")
        done = low.filter(status__in=Job.FINISHED)
        draining = wait_for(done.exists, timeout=60)
        jobsgen.failures_check()
        time.sleep(2.0)  # into the steady state of the drain
        order = brpop_order()
        cpu = CpuSample(cpu_groups(started), poll=0.5).start()
        before = done.count()
        loaded = otp_latency(client_id, sizes, "bench-otp-loaded")
        after = done.count()
        cpu.stop()
        jobsgen.failures_check()
        broker = _broker_state(low)
        statuses = dict(low.order_by().values_list("status").annotate(n=Count("id")))
    p95, base95 = loaded["latency_s"].get("p95"), idle["latency_s"].get("p95")
    starved = loaded["not_started"] > 0
    popped = f"; worker popped {' > '.join(order)}" if order else ""
    rows = [
        {
            "metric": f"priority: OTP created→started p95, {sizes.priority_backlog:,} low "
            f"waiting{popped}",
            "value": p95,
            "prefix": "≥" if starved else "",
            "unit": "s",
            "baseline": base95,
            "baseline_label": "same OTPs, idle engine",
            "ratio": ratio(p95, base95),
            "target": "p95 ≤2 s",
            "met": p95 is not None and p95 <= 2.0 and not starved,
        }
    ]
    return {
        "status": "ok" if draining else "failed",
        "rows": rows,
        "bound": _bound_text(idle, loaded, order, broker, after - before),
        "details": {
            "idle": idle,
            "loaded": loaded,
            "worker_pop_order": order,
            "broker_low": broker,
            "backlog": {
                "jobs": sizes.priority_backlog,
                "create_seconds": round(create_seconds, 2),
                "finished_during_samples": after - before,
                "statuses_at_end": statuses,
            },
            "cpu": cpu.as_dict(),
        },
    }


def _bound_text(idle, loaded, order, broker, drained) -> str:
    text = (
        f"p50 {loaded['latency_s'].get('p50')} s loaded vs {idle['latency_s'].get('p50')} s "
        f"idle; {loaded['not_started']} of {loaded['samples']} OTPs had not started "
        f"{OTP_WAIT:.0f} s after the last was created, while {drained} low jobs finished. "
        f"The delivery worker popped its queues in the order {' > '.join(order or ['?'])}"
    )
    if order:
        text += (
            " (by chance: kombu's Redis transport keeps the consumed queues in a set, so "
            "queue_order_strategy='priority' follows string-hash order, random per worker "
            "start — kombu#801, celery#8673; when low comes before high, OTPs wait for the "
            "whole low backlog)"
            if order[0] == "high"
            else " — not high first: kombu's Redis transport keeps the consumed queues in a set, "
            "so queue_order_strategy='priority' follows string-hash order, random per worker "
            "start (kombu#801, celery#8673)"
        )
    return text + (
        f". Low messages waiting in Redis: {broker['messages']} for {broker['jobs_queued']} "
        f"queued jobs ({broker['jobs_per_message']} jobs per message)."
    )


def _low_batch() -> int:
    from django.conf import settings

    return settings.FUSION_EXECUTE_BATCH[0]


def otp_latency(client_id: int, sizes, tag: str) -> dict:
    """Create one OTP every interval; created→started seconds (lower bound if not started)."""
    from apps.delivery.models import Job, Priority
    from apps.delivery.services.jobs import jobs_create

    for _ in range(sizes.priority_samples):
        spec = jobsgen.sms_specs(
            1, priority=Priority.HIGH, log_tag=tag, payload=jobsgen.OTP_PAYLOAD
        )
        jobs_create(client_id=client_id, specs=spec)
        time.sleep(sizes.priority_interval)
    otps = Job.objects.filter(log_tag=tag)
    wait_for(lambda: not otps.filter(started_at__isnull=True).exists(), timeout=OTP_WAIT)
    now = timezone.now()
    rows = list(otps.values_list("created_at", "started_at"))
    latencies = [((s or now) - c).total_seconds() for c, s in rows]
    return {
        "samples": len(rows),
        "not_started": sum(1 for _, s in rows if s is None),
        "latency_s": summary(latencies),
        "latencies_ms": sorted(round(x * 1000) for x in latencies),
    }


def brpop_order(seconds: float = 3.0) -> list[str] | None:
    """The queue order of the delivery worker's BRPOP, read from Redis MONITOR."""
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=seconds)
    deadline = time.monotonic() + seconds
    try:
        with client.monitor() as monitor:
            while time.monotonic() < deadline:
                command = monitor.next_command()["command"]
                if not command.upper().startswith("BRPOP"):
                    continue
                keys = [k for k in command.split()[1:] if k in WORKER_QUEUES]
                if keys:
                    return list(dict.fromkeys(keys))
    except redis.TimeoutError:
        pass
    finally:
        client.close()
    return None


def _broker_state(low) -> dict:
    """Low-priority messages in Redis vs low jobs queued: how full each message is."""
    from apps.delivery.models import Job

    messages = redis.Redis.from_url(REDIS_URL).llen("low")
    queued = low.filter(status=Job.Status.QUEUED).count()
    return {
        "messages": messages,
        "jobs_queued": queued,
        "jobs_per_message": round(queued / messages, 2) if messages else None,
        "configured_batch": _low_batch(),
    }
