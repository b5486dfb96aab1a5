"""The Queue face's request and answer shapes (one module per group of endpoints)."""

from apps.jobs.api.serializers.management import (
    AttemptInfoSerializer,
    CancelJobRequestSerializer,
    CancelJobResponseSerializer,
    CodeSerializer,
    JobIdListField,
    JobInfoRequestSerializer,
    JobInfoResponseSerializer,
    JobInfoSerializer,
    RescheduleJobRequestSerializer,
    RetryItemSerializer,
    RetryResponseSerializer,
)
from apps.jobs.api.serializers.tasks import (
    MAX_TASKS,
    JobIdsSerializer,
    QueueErrorSerializer,
    QueueMessageSerializer,
    ScheduledTaskSerializer,
    TaskSerializer,
    tasks_validate,
)
from apps.jobs.api.serializers.utility import (
    MAX_MAPPINGS,
    ConsentResponseSerializer,
    ConsentSerializer,
    MappingItemSerializer,
    MappingResponseSerializer,
    MappingSerializer,
)

__all__ = [
    "MAX_MAPPINGS", "MAX_TASKS", "AttemptInfoSerializer", "CancelJobRequestSerializer",
    "CancelJobResponseSerializer", "CodeSerializer", "ConsentResponseSerializer",
    "ConsentSerializer", "JobIdListField", "JobIdsSerializer", "JobInfoRequestSerializer",
    "JobInfoResponseSerializer", "JobInfoSerializer", "MappingItemSerializer",
    "MappingResponseSerializer", "MappingSerializer", "QueueErrorSerializer",
    "QueueMessageSerializer", "RescheduleJobRequestSerializer", "RetryItemSerializer",
    "RetryResponseSerializer", "ScheduledTaskSerializer", "TaskSerializer", "tasks_validate",
]  # fmt: skip
