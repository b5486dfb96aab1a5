"""The Queue spec's task / task_type table, as data in one place.

``task`` picks the channel, ``task_type`` the kind of message, which decides the default
priority (``override_priority`` may change it per request) and, for webhooks, the HTTP method.
Add a row here and the API accepts the new pair; nothing else needs to change.
"""

from dataclasses import dataclass

from apps.delivery.models import Priority
from apps.providers.catalog import EMAIL, PUSH, SMS, WEBHOOK, WHATSAPP

HIGH, MODERATE, LOW = Priority.HIGH, Priority.MODERATE, Priority.LOW


@dataclass(frozen=True)
class TaskKind:
    """One row of the table: what a (task, task_type) pair means."""

    task: int
    task_type: int
    channel: str
    name: str
    priority: int
    method: str | None = None  # webhooks only
    with_file: bool = False  # WhatsApp "withFile": a document must be attached


# task → channel, as the spec numbers them (5 is unused).
TASK_CHANNELS = {1: SMS, 2: EMAIL, 3: PUSH, 4: WEBHOOK, 6: WHATSAPP}

_ROWS = [
    TaskKind(1, 1, SMS, "OTP", HIGH),
    TaskKind(1, 2, SMS, "App Links", LOW),
    TaskKind(1, 3, SMS, "Welcome", MODERATE),
    TaskKind(1, 4, SMS, "Billing Report", MODERATE),
    TaskKind(1, 5, SMS, "Appointment/HC", MODERATE),
    TaskKind(1, 6, SMS, "Campaign", LOW),
    TaskKind(1, 7, SMS, "Reminder", HIGH),
    TaskKind(2, 1, EMAIL, "Welcome", MODERATE),
    TaskKind(2, 2, EMAIL, "Billing Report", MODERATE),
    TaskKind(2, 3, EMAIL, "Admin", MODERATE),
    TaskKind(2, 4, EMAIL, "Misc", LOW),
    TaskKind(2, 5, EMAIL, "Template", LOW),
    TaskKind(2, 6, EMAIL, "Attachment", LOW),
    TaskKind(3, 1, PUSH, "Reports", MODERATE),
    TaskKind(3, 2, PUSH, "Appointment/HC", MODERATE),
    TaskKind(3, 3, PUSH, "Promotions", MODERATE),
    TaskKind(3, 4, PUSH, "Campaign", LOW),
    TaskKind(3, 5, PUSH, "Feedback", LOW),
    TaskKind(3, 6, PUSH, "Reminders", HIGH),
    TaskKind(4, 1, WEBHOOK, "GET", MODERATE, method="GET"),
    TaskKind(4, 2, WEBHOOK, "POST", MODERATE, method="POST"),
    TaskKind(4, 3, WEBHOOK, "PUT", MODERATE, method="PUT"),
    TaskKind(4, 4, WEBHOOK, "DELETE", MODERATE, method="DELETE"),
    TaskKind(6, 1, WHATSAPP, "Welcome", MODERATE),
    TaskKind(6, 2, WHATSAPP, "Billing Report", MODERATE, with_file=True),
]

TASK_KINDS: dict[tuple[int, int], TaskKind] = {(k.task, k.task_type): k for k in _ROWS}


def task_kind(task: int, task_type: int) -> TaskKind | None:
    """The row for a (task, task_type) pair, or None when the spec does not define it."""
    return TASK_KINDS.get((task, task_type))


def task_types_of(task: int) -> list[int]:
    """The task_type numbers defined for ``task`` (for error messages)."""
    return sorted(k.task_type for k in _ROWS if k.task == task)
