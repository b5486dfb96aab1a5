"""The raw Celery baseline: a registered task that does nothing.

Workers import it with ``-I bench.noop``; the runner publishes it with ``apply_async``.
"""

from celery import shared_task


@shared_task(name="bench.noop", ignore_result=True)
def noop(*args, **kwargs) -> None:
    """Nothing: what Celery alone costs per message."""
    return None
