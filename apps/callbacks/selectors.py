"""Reads of the Callbacks face, scoped to the client in the path."""

import uuid

from django.db.models import QuerySet
from django.http import Http404

from apps.accounts.models import Client
from apps.accounts.tenancy import user_sees_all_clients
from apps.callbacks.models import CallRecord, CallTask, TaskScheduler


def client_of_path(*, user, client_id: int) -> Client:
    """The path's client when the caller may act for it; 404 otherwise (like a missing one)."""
    if not user_sees_all_clients(user) and user.client_id != client_id:
        raise Http404
    client = Client.objects.filter(pk=client_id).first()
    if client is None:
        raise Http404
    return client


def scheduler_list(*, client_id: int) -> QuerySet[TaskScheduler]:
    """The client's task schedulers by id (``client_of_path`` checks the caller may act for it)."""
    return TaskScheduler.objects.filter(client_id=client_id).order_by("id")


def scheduler_get(*, client_id: int, scheduler_id: int) -> TaskScheduler:
    """The client's scheduler ``scheduler_id``; 404 when it is missing or another client's."""
    scheduler = scheduler_list(client_id=client_id).filter(pk=scheduler_id).first()
    if scheduler is None:
        raise Http404
    return scheduler


def task_list(*, scheduler: TaskScheduler, status: str | None = None) -> QuerySet[CallTask]:
    """The scheduler's call tasks by id, only those in ``status`` when it is given."""
    tasks = CallTask.objects.filter(scheduler=scheduler, client_id=scheduler.client_id)
    return (tasks.filter(status=status) if status else tasks).order_by("id")


def task_get(*, scheduler: TaskScheduler, task_id: int) -> CallTask:
    """The scheduler's call task ``task_id``; 404 when it is missing or another scheduler's."""
    task = task_list(scheduler=scheduler).filter(pk=task_id).first()
    if task is None:
        raise Http404
    return task


def call_record_get(*, client_id: int, call_uuid) -> CallRecord:
    """The client's call record; 404 for a missing one and for a malformed uuid (the route
    lets any 32–36 hex digits and dashes through)."""
    try:
        call_uuid = uuid.UUID(str(call_uuid))
    except ValueError as error:
        raise Http404 from error
    record = CallRecord.objects.filter(client_id=client_id, uuid=call_uuid).first()
    if record is None:
        raise Http404
    return record
