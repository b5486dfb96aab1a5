"""Beat's database scheduler publishes the system tasks with the expiry the settings give."""

import pytest
from django.conf import settings
from django_celery_beat.models import PeriodicTask

from apps.core.beat import HeartbeatDatabaseScheduler
from config.celery import app

pytestmark = pytest.mark.django_db


def test_the_database_scheduler_keeps_each_tasks_expiry():
    for name, fields in settings.CELERY_BEAT_SCHEDULE.items():
        entry = HeartbeatDatabaseScheduler.Entry.from_entry(name, app=app, **fields)
        expires = fields["options"]["expires"]
        assert PeriodicTask.objects.get(name=name).expire_seconds == expires
        assert entry.options["expires"] == expires, name  # what beat publishes with
        assert entry.options["queue"] == "system"


def test_the_dispatchers_tick_expires_before_the_next_few_ticks_pile_up():
    dispatch = settings.CELERY_BEAT_SCHEDULE["dispatch-due"]
    assert dispatch["options"]["expires"] <= 5 * dispatch["schedule"]
