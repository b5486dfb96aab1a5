"""Campaign services (the only code here that writes): lifecycle, prepare, pump, schedules."""

from apps.campaigns.services.lifecycle import (
    campaign_create,
    campaign_delete,
    campaign_start,
    campaign_stop,
    campaign_update,
)
from apps.campaigns.services.prepare import campaign_prepare
from apps.campaigns.services.pump import campaign_jobs_cancel, campaign_pump
from apps.campaigns.services.schedules import (
    campaign_schedule_create,
    campaign_schedules_cancel,
    campaign_schedules_run,
)
from apps.campaigns.services.tick import campaigns_pump

__all__ = [
    "campaign_create", "campaign_delete", "campaign_jobs_cancel", "campaign_prepare",
    "campaign_pump", "campaign_schedule_create", "campaign_schedules_cancel",
    "campaign_schedules_run", "campaign_start", "campaign_stop", "campaign_update",
    "campaigns_pump",
]  # fmt: skip
