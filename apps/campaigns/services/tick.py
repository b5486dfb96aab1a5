"""What the beat task does every few seconds: due schedules first, then every pump."""

from datetime import datetime

from django.utils import timezone

from apps.campaigns.services.pump import running_campaigns_pump
from apps.campaigns.services.schedules import campaign_schedules_run


def campaigns_pump(*, now: datetime | None = None) -> int:
    """Run due campaign schedules, then pump every running campaign; returns jobs made."""
    now = now or timezone.now()
    campaign_schedules_run(now=now)
    return running_campaigns_pump(now=now)
