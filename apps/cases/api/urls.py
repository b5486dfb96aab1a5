"""Video-face routes (mounted under /video/); each answers with and without a trailing slash.

Any other path under /video/ answers the spec's 404 (``Resource Not Found``) in the face's
envelope, rather than the project-wide wording of unknown routes.
"""

from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt

from apps.cases.api import views
from apps.cases.selectors import NOT_FOUND
from apps.core.exceptions import json_error
from apps.core.routing import route


@csrf_exempt  # answers every method, POST included, with the same 404
def unknown_route(request, rest: str = ""):
    """404 for a path under /video/ that is none of the face's endpoints."""
    return json_error(request, 404, NOT_FOUND)


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
    re_path(r"^(?P<rest>.*)$", unknown_route, name="video-unknown-route"),  # keep it last
]
