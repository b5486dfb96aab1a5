"""Delivery reports of the SMS vendors, read into one vocabulary: delivered, undelivered or
pending (not final yet). The engine records them (``apps.delivery.services.receipts``).

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


@dataclass(frozen=True)
class Receipt:
    state: str  # delivered, undelivered or pending
    detail: str


def receipt_read(fields: dict) -> Receipt | None:
    """A Twilio status callback (``MessageStatus`` or ``SmsStatus``, ``ErrorCode``) or a
    Kannel delivery report (``type``); None when the fields are neither."""
    status = str(fields.get("MessageStatus") or fields.get("SmsStatus") or "").strip().lower()
    if status:
        code = fields.get("ErrorCode")
        detail = f"twilio {status}" + (f" (error {code})" if code else "")
        return Receipt(TWILIO_FINAL.get(status, PENDING), detail)
    kind = str(fields.get("type") or "").strip()
    if kind.isdigit():
        return Receipt(KANNEL_FINAL.get(int(kind), PENDING), f"kannel dlr type {kind}")
    return None
