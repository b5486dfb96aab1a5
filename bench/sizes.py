"""How big each benchmark is: the full run and the ``--quick`` smoke run."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    """Counts and durations of one run."""

    execution_jobs: int = 20_000
    noop_messages: int = 20_000
    future_jobs: int = 1_000_000
    store_sample: int = 20_000  # future jobs stored through jobs_create (rate vs COPY)
    due_jobs: int = 10_000
    due_window: float = 30.0  # seconds over which the due jobs fall due
    due_grace: float = 60.0  # seconds after the window by which all must have succeeded
    claim_rows: int = 500
    claim_reps: int = 25
    priority_backlog: int = 50_000
    priority_samples: int = 20
    priority_interval: float = 0.2
    enqueue_seconds: float = 15.0
    enqueue_clients: int = 8
    enqueue_batch: int = 100
    callbacks_tasks_high: int = 2_000  # call tasks at concurrent_task_limit 50
    callbacks_tasks_low: int = 2_000  # at limit 5: 2,000 × 1.75 s / 5 ≈ 12 min of calls
    callbacks_interval_tasks: int = 60  # at limit 5 with a non-zero interval
    callbacks_interval: float = 1.0  # seconds between two starts
    ratelimit_rate: float = 100.0  # the provider's max_per_second
    ratelimit_jobs: int = 3_000  # ≈ 30 s at that rate


FULL = Sizes()
QUICK = Sizes(
    execution_jobs=2_000,
    noop_messages=2_000,
    future_jobs=50_000,
    store_sample=2_000,
    due_jobs=1_000,
    due_window=10.0,
    due_grace=30.0,
    claim_reps=10,
    priority_backlog=5_000,
    priority_samples=10,
    enqueue_seconds=5.0,
    callbacks_tasks_high=1_000,
    callbacks_tasks_low=50,
    callbacks_interval_tasks=15,
    ratelimit_rate=50.0,
    ratelimit_jobs=500,
)
