"""Queue-face routes, mounted at the root; each answers with and without a trailing slash."""

from apps.core.routing import route
from apps.jobs.api import views

urlpatterns = [
    route("queue", views.EnqueueView.as_view(), name="queue"),
    route("schedule", views.ScheduleView.as_view(), name="schedule"),
    route("jobInfo", views.JobInfoView.as_view(), name="job-info"),
    route("cancelJob", views.CancelJobView.as_view(), name="cancel-job"),
    route("rescheduleJob", views.RescheduleJobView.as_view(), name="reschedule-job"),
    route("retryTask", views.RetryTaskView.as_view(), name="retry-task"),
    route("mapping", views.MappingView.as_view(), name="mapping-list"),
    route("mapping/<str:keyword>", views.MappingDetailView.as_view(), name="mapping-detail"),
    route("update_consent", views.UpdateConsentView.as_view(), name="update-consent"),
]
