"""Delivery reports of the SMS vendors (and Telnyx's fax webhooks), read into one vocabulary:
delivered, undelivered or pending (not final yet). The engine records them
(``apps.delivery.services.receipts``).

No gateway lives here; the registry imports this module like any other and finds nothing to
register.
"""

from dataclasses import dataclass

DELIVERED, UNDELIVERED, PENDING = "delivered", "undelivered", "pending"

# Twilio's MessageStatus values (queued, sending, sent, accepted, scheduled… are not final).
TWILIO_FINAL = {
    "delivered": DELIVERED,
    "read": DELIVERED,  # WhatsApp through Twilio: read implies delivered
    "undelivered": UNDELIVERED,
    "failed": UNDELIVERED,
    "canceled": UNDELIVERED,
}
# Kannel's dlr-url ``type`` (%d): 1 delivered to phone, 2 not delivered, 16 rejected by the
# SMSC; 4 (queued on the SMSC) and 8 (accepted by the SMSC) are intermediate.
KANNEL_FINAL = {1: DELIVERED, 2: UNDELIVERED, 16: UNDELIVERED}
# Telnyx fax webhooks: fax.queued, fax.media.processed, fax.sending.started are intermediate.
TELNYX_FAX_FINAL = {"fax.delivered": DELIVERED, "fax.failed": UNDELIVERED}


@dataclass(frozen=True)
class Receipt:
    """A delivery report in the common vocabulary: ``state`` and a human-readable ``detail``."""

    state: str  # delivered, undelivered or pending
    detail: str


def receipt_read(fields: dict) -> Receipt | None:
    """A Twilio status callback (``MessageStatus`` or ``SmsStatus``, ``ErrorCode``), a
    Kannel delivery report (``type``) or a Telnyx fax webhook (JSON ``data.event_type``);
    None when the fields are none of these."""
    event = fields.get("data")
    if isinstance(event, dict) and str(event.get("event_type") or "").startswith("fax."):
        return _telnyx_fax(event)
    status = str(fields.get("MessageStatus") or fields.get("SmsStatus") or "").strip().lower()
    if status:
        code = fields.get("ErrorCode")
        detail = f"twilio {status}" + (f" (error {code})" if code else "")
        return Receipt(TWILIO_FINAL.get(status, PENDING), detail)
    kind = str(fields.get("type") or "").strip()
    if kind.isdigit():
        return Receipt(KANNEL_FINAL.get(int(kind), PENDING), f"kannel dlr type {kind}")
    return None


def _telnyx_fax(event: dict) -> Receipt:
    """``{"event_type": "fax.failed", "payload": {"failure_reason": …}}`` → a receipt."""
    kind = str(event.get("event_type"))
    payload = event.get("payload") if isinstance(event.get("payload"), dict) else {}
    reason = payload.get("failure_reason")
    detail = f"telnyx {kind}" + (f" ({reason})" if reason else "")
    return Receipt(TELNYX_FAX_FINAL.get(kind, PENDING), detail)
