"""Benchmark 6, provider rate limit: a backlog through a provider limited to R sends a second.

The benchmark client's sandbox provider gets ``max_per_second = ratelimit_rate``; then
``ratelimit_jobs`` low-priority SMS, due at once, drain through the real engine (workers,
dispatcher, ticker). Figures, each against its in-run baseline:

- the provider's send rate after the first full bucket, as a ratio to the limit (≤ 1.0 and
  close to it: the limit is kept and not wasted);
- the most sends in any one second, against the bound a bucket allows (one second's worth
  plus one second's refill, plus the OTPs' reserve);
- OTP created→started p95 while the limit is saturated, against the same OTPs before the
  backlog (an OTP must not wait behind a campaign, even at a vendor's limit);
- how often a job was told to wait (``throttled`` events per job): the cost of keeping it.
"""

from bench import jobsgen, procs
from bench.env import state_reset
from bench.measure import ratio, wait_for, wait_progress
from bench.priority import otp_latency

TAG = "bench-ratelimit"


def run(sizes, client_id: int) -> dict:
    from apps.delivery.models import Event, Job, OutboxMessage, Priority
    from apps.providers.models import Provider, ProviderRate
    from apps.providers.rate import bucket_capacity, high_reserve

    state_reset()
    rate = sizes.ratelimit_rate
    provider = Provider.objects.get(client_id=client_id, name="bench-sandbox")
    ProviderRate.objects.filter(provider=provider).delete()
    Provider.objects.filter(pk=provider.pk).update(max_per_second=rate)
    try:
        with procs.engine():
            idle = otp_latency(client_id, sizes, "bench-rl-otp-idle")
            specs = jobsgen.sms_specs(sizes.ratelimit_jobs, priority=Priority.LOW, log_tag=TAG)
            jobsgen.jobs_create_chunked(client_id=client_id, specs=specs)
            low = Job.objects.filter(log_tag=TAG)
            wait_for(lambda: low.filter(status=Job.Status.SUCCEEDED).count() > 2 * rate, timeout=60)
            loaded = otp_latency(client_id, sizes, "bench-rl-otp-loaded")
            drained = wait_progress(
                lambda: low.filter(status__in=Job.FINISHED).count(),
                sizes.ratelimit_jobs,
                stall=30,
                timeout=sizes.ratelimit_jobs / rate * 2 + 60,
            )
            jobsgen.failures_check()
    finally:
        Provider.objects.filter(pk=provider.pk).update(max_per_second=None)
    uuids = set(low.values_list("uuid", flat=True))
    sent = sorted(
        at for job, at in OutboxMessage.objects.values_list("job_uuid", "created_at")
        if job in uuids
    )  # fmt: skip
    throttled = Event.objects.filter(kind="throttled", job__log_tag=TAG).count()
    bound = bucket_capacity(rate) + rate + high_reserve(rate)
    return _result(sizes, rate, sent, bound, idle, loaded, throttled, drained)


def _steady_rate(sent, capacity: float) -> float | None:
    """Sends per second after the first full bucket."""
    if len(sent) <= capacity + 1:
        return None
    start = sent[int(capacity)]
    span = (sent[-1] - start).total_seconds()
    return round((len(sent) - 1 - int(capacity)) / span, 1) if span > 0 else None


def _busiest_second(sent) -> int:
    """The most sends in any window of one second."""
    best, first = 0, 0
    for last, at in enumerate(sent):
        while (at - sent[first]).total_seconds() >= 1.0:
            first += 1
        best = max(best, last - first + 1)
    return best


def _result(sizes, rate, sent, bound, idle, loaded, throttled, drained) -> dict:
    from apps.providers.rate import bucket_capacity

    steady = _steady_rate(sent, bucket_capacity(rate))
    busiest = _busiest_second(sent)
    p95, base95 = loaded["latency_s"].get("p95"), idle["latency_s"].get("p95")
    per_job = round(throttled / max(len(sent), 1), 2)
    label = f"{sizes.ratelimit_jobs:,} low SMS through a provider limited to {rate:g}/s"
    rows = [
        {"metric": f"rate limit: sends/s after the first bucket, {label}", "value": steady,
         "unit": "sends/s", "baseline": rate, "baseline_label": "the provider's max_per_second",
         "ratio": ratio(steady, rate), "target": "0.95–1.0× the limit",
         "met": steady is not None and 0.95 * rate <= steady <= rate * 1.01},
        {"metric": "rate limit: most sends in any one second", "value": busiest,
         "unit": "sends", "baseline": bound, "baseline_label": "bucket + 1 s refill + OTP reserve",
         "ratio": ratio(busiest, bound), "target": "≤ 1.0×", "met": busiest <= bound},
        {"metric": "rate limit: OTP created→started p95 while the limit is saturated",
         "value": p95, "unit": "s", "baseline": base95, "baseline_label": "same OTPs, idle",
         "ratio": ratio(p95, base95), "target": "p95 ≤ 2 s",
         "met": p95 is not None and p95 <= 2.0 and not loaded["not_started"]},
    ]  # fmt: skip
    return {
        "status": "ok" if drained and len(sent) == sizes.ratelimit_jobs else "failed",
        "rows": rows,
        "bound": f"The limit itself: tries over it go back to the schedule and are handed out "
        f"again when their token is due ({per_job} waits per job on average; a batch's held "
        f"tries are written with one UPDATE and one event INSERT). {len(sent):,} of "
        f"{sizes.ratelimit_jobs:,} sent.",
        "details": {"idle": idle, "loaded": loaded, "throttled_events": throttled,
                    "sent": len(sent), "busiest_second": busiest, "steady_rate": steady},
    }  # fmt: skip
