"""The beat scheduler: django-celery-beat's DatabaseScheduler plus a heartbeat."""

import socket
import time

from django_celery_beat.schedulers import DatabaseScheduler

from apps.core.heartbeat import heartbeat_record


class HeartbeatDatabaseScheduler(DatabaseScheduler):
    """DatabaseScheduler that records a beat heartbeat at most every few seconds."""

    heartbeat_every = 5.0
    _last_heartbeat = 0.0

    def tick(self, *args, **kwargs):
        now = time.monotonic()
        if now - self._last_heartbeat >= self.heartbeat_every:
            heartbeat_record(kind="beat", name=socket.gethostname())
            self._last_heartbeat = now
        # Wake at least as often as the heartbeat, however far the next task is.
        return min(super().tick(*args, **kwargs), self.heartbeat_every)
