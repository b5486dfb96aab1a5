"""Callbacks-face routes (mounted under /client/)."""

from apps.callbacks.api import views
from apps.core.routing import route

_S = "<int:client_id>/task_scheduler/<int:scheduler_id>"

urlpatterns = [
    route(
        "<int:client_id>/task_scheduler",
        views.TaskSchedulerListView.as_view(),
        name="task-scheduler-list",
    ),
    route(_S, views.TaskSchedulerDetailView.as_view(), name="task-scheduler-detail"),
    route(f"{_S}/tasks", views.CallTaskListView.as_view(), name="call-task-list"),
    route(f"{_S}/task/<int:task_id>", views.CallTaskDetailView.as_view(), name="call-task"),
    route(
        "<int:client_id>/call_history/<uuid:call_uuid>",
        views.CallHistoryView.as_view(),
        name="call-history",
    ),
]
