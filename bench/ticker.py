"""Beat's stand-in (``python -m bench.ticker``): publishes CELERY_BEAT_SCHEDULE at its cadence.

Same tasks, same options (queue ``system``, ``expires``), same intervals as beat would send
them; without django-celery-beat's database scheduler, which is not what is measured here.
"""

import signal
import time


def main() -> None:
    import django

    django.setup()
    from django.conf import settings

    from config.celery import app

    signal.signal(signal.SIGTERM, lambda *_: raise_exit())
    entries = list(settings.CELERY_BEAT_SCHEDULE.values())
    due = [time.monotonic()] * len(entries)
    while True:
        now = time.monotonic()
        for index, entry in enumerate(entries):
            if now >= due[index]:
                app.send_task(entry["task"], **entry.get("options", {}))
                due[index] = max(due[index] + float(entry["schedule"]), now)
        time.sleep(max(0.0, min(due) - time.monotonic()))


def raise_exit() -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    main()
