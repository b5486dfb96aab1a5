from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """THE engine: jobs, attempts, events, the dispatcher, gateways and the hook sender."""

    name = "apps.delivery"
    label = "delivery"
