"""Video-face routes (mounted under /video/); each answers with and without a trailing slash."""

from apps.cases.api import views
from apps.core.routing import route

urlpatterns = [
    route("createBlankTask", views.CreateBlankTaskView.as_view(), name="video-create-blank-task"),
    route(
        "createTaskModerator",
        views.CreateTaskModeratorView.as_view(),
        name="video-create-task-moderator",
    ),
    route(
        "createTaskPublisher",
        views.CreateTaskPublisherView.as_view(),
        name="video-create-task-publisher",
    ),
    route(
        "updateTaskStatus", views.UpdateTaskStatusView.as_view(), name="video-update-task-status"
    ),
    route("getAuthCode", views.GetAuthCodeView.as_view(), name="video-get-auth-code"),
    route("redeemAuthCode", views.RedeemAuthCodeView.as_view(), name="video-redeem-auth-code"),
    route("getTask", views.GetTaskView.as_view(), name="video-get-task"),
]
