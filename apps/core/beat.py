"""The beat scheduler: django-celery-beat's DatabaseScheduler, keeping ``expires``, plus a
heartbeat."""

import socket
import time

from django_celery_beat.schedulers import DatabaseScheduler, ModelEntry

from apps.core.heartbeat import heartbeat_record


class ExpiringModelEntry(ModelEntry):
    """A schedule entry that keeps CELERY_BEAT_SCHEDULE's ``options["expires"]`` (seconds).

    django-celery-beat's own entry reads only ``expire_seconds`` and drops ``expires``, so its
    rows would publish messages that never expire: a system worker that fell behind (a slow
    broker poll, a database pause) would then run every stale tick in turn, and the backlog
    of once-a-second dispatcher runs would delay every other system task for good.
    """

    @classmethod
    def _unpack_options(cls, expires=None, expire_seconds=None, **options):
        seconds = expire_seconds if expire_seconds is not None else expires
        return super()._unpack_options(expire_seconds=seconds, **options)


class HeartbeatDatabaseScheduler(DatabaseScheduler):
    """DatabaseScheduler that records a beat heartbeat at most every few seconds and whose
    entries expire as CELERY_BEAT_SCHEDULE says."""

    Entry = ExpiringModelEntry
    heartbeat_every = 5.0
    _last_heartbeat = 0.0

    def tick(self, *args, **kwargs):
        now = time.monotonic()
        if now - self._last_heartbeat >= self.heartbeat_every:
            heartbeat_record(kind="beat", name=socket.gethostname())
            self._last_heartbeat = now
        # Wake at least as often as the heartbeat, however far the next task is.
        return min(super().tick(*args, **kwargs), self.heartbeat_every)
