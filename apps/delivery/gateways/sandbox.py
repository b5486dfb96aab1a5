"""Sandbox gateways for every channel: record the message in the Outbox, send nothing.

The embedded default delivers here. Outcomes are scriptable through the provider's settings:
``failure_rate`` (0..1), ``failure`` ("transient" or "permanent"), ``latency_ms``,
``fail_recipients`` (exact recipients that always fail) and ``seed``.
"""

import random
import time
import uuid

from apps.core.bulk import rows_insert
from apps.delivery.gateways.base import DeliveryError, Gateway, Message, Outcome
from apps.delivery.gateways.registry import register
from apps.providers.catalog import CHANNELS

_RECIPIENT_KEYS = ("to", "token", "topic", "url")


def recipient_of(payload: dict) -> str:
    """The payload's destination as one string (first of to/token/topic/url)."""
    for key in _RECIPIENT_KEYS:
        value = payload.get(key)
        if value:
            return ", ".join(value) if isinstance(value, list) else str(value)
    return ""


class SandboxGateway(Gateway):
    """Records each message as an OutboxMessage; fails only when told to.

    ``bulk``: the messages of a batch are recorded with one INSERT, as a vendor's bulk API
    would take them in one request.
    """

    type = "sandbox"
    bulk = True

    @classmethod
    def bulk_for(cls, provider) -> bool:
        """Bulk unless the provider scripts a ``latency_ms``."""
        # A scripted latency stands for a vendor answering message by message: send them one
        # at a time, so a long batch still records progress and extends its leases.
        return not (getattr(provider, "settings", None) or {}).get("latency_ms")

    def send(self, message: Message) -> Outcome:
        """Record one message (through ``send_many``); a scripted failure is raised."""
        result = self.send_many([message])[0]
        if isinstance(result, DeliveryError):
            raise result
        return result

    def send_many(self, messages: list[Message]) -> list[Outcome | DeliveryError]:
        """Record the messages that do not fail as scripted, all in one insert."""
        from apps.delivery.models import OutboxMessage

        results, rows = [], []
        for message in messages:
            recipient = recipient_of(message.payload)
            if self.settings.get("latency_ms"):
                time.sleep(float(self.settings["latency_ms"]) / 1000)
            try:
                self._maybe_fail(message, recipient)
            except DeliveryError as error:
                results.append(error)
                continue
            rows.append(self._outbox_row(OutboxMessage, message, recipient))
            results.append(_outcome(recipient))
        rows_insert(OutboxMessage, rows)  # COPY on PostgreSQL: the drain's hottest insert
        return results

    def _outbox_row(self, model, message: Message, recipient: str):
        return model(
            client_id=message.client_id,
            channel=message.channel,
            job_uuid=message.job_id,
            provider=self.provider,
            recipient=recipient[:255],
            payload=message.payload,
        )

    def _maybe_fail(self, message: Message, recipient: str) -> None:
        permanent = self.settings.get("failure", "transient") == "permanent"
        if recipient in (self.settings.get("fail_recipients") or []):
            raise DeliveryError(
                "sandbox: recipient set to fail", permanent=permanent, reason="sandbox"
            )
        rate = float(self.settings.get("failure_rate") or 0)
        seed = self.settings.get("seed")
        draw = (
            random.Random(f"{seed}:{message.job_id}:{message.attempt}").random()
            if seed
            else random.random()
        )
        if rate and draw < rate:
            raise DeliveryError("sandbox: scripted failure", permanent=permanent, reason="sandbox")


def _outcome(recipient: str) -> Outcome:
    return Outcome(
        provider_message_id=f"sandbox-{uuid.uuid4().hex[:16]}",
        request={"recipient": recipient},
        response={"sandbox": True},
        delivered=True,
    )


for _channel in CHANNELS:
    register(type(f"Sandbox{_channel.title()}Gateway", (SandboxGateway,), {"channel": _channel}))
