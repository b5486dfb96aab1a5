"""Comms-face routes of the accounts app (mounted under /api/)."""

from apps.accounts.api import account_views, auth_views, secret_views, views
from apps.core.routing import route

auth_urlpatterns = [
    route("authenticate", auth_views.AuthenticateView.as_view(), name="authenticate"),
    route("authenticate/refresh", auth_views.RefreshView.as_view(), name="authenticate-refresh"),
    route("authenticate/logout", auth_views.LogoutView.as_view(), name="authenticate-logout"),
    route("authenticate/cancel", auth_views.LogoutView.as_view(), name="authenticate-cancel"),
]

urlpatterns = [
    *auth_urlpatterns,
    route("users", views.UserListView.as_view(), name="user-list"),
    route("users/<int:user_id>", views.UserDetailView.as_view(), name="user-detail"),
    route("users/<int:user_id>/password", views.UserPasswordView.as_view(), name="user-password"),
    route(
        "users/<int:user_id>/roles/<int:role_id>",
        views.UserRoleView.as_view(),
        name="user-role",
    ),
    route(
        "users/<int:user_id>/permissions/<int:permission_id>",
        views.UserPermissionView.as_view(),
        name="user-permission",
    ),
    route("webhook_secret", secret_views.WebhookSecretView.as_view(), name="webhook-secret"),
    route(
        "webhook_secret/rotate",
        secret_views.WebhookSecretRotateView.as_view(),
        name="webhook-secret-rotate",
    ),
    route("accounts", account_views.AccountListView.as_view(), name="account-list"),
    route(
        "accounts/<int:account_id>",
        account_views.AccountDetailView.as_view(),
        name="account-detail",
    ),
    route(
        "accounts/<int:account_id>/users/<int:user_id>",
        account_views.AccountOwnerView.as_view(),
        name="account-owner",
    ),
    route(
        "accounts/<int:account_id>/users",
        account_views.AccountOwnerClearView.as_view(),
        name="account-owner-clear",
    ),
    route(
        "accounts/<int:account_id>/settings/<str:name>",
        account_views.AccountSettingView.as_view(),
        name="account-setting",
    ),
    route("roles", views.RoleListView.as_view(), name="role-list"),
    route("permissions", views.PermissionListView.as_view(), name="permission-list"),
]
