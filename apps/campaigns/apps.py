from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    """Campaigns: one program sent to every contact of a group, paced at ``cpm``."""

    name = "apps.campaigns"
    label = "campaigns"
