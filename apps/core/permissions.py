"""Permission checks declared on views, checked before any record is loaded (403 before 404)."""

from rest_framework.permissions import BasePermission


class RequiredPermissions(BasePermission):
    """Checks ``view.required_permissions[request.method]`` (a list of Django permission names).

    A method missing from the map needs no permission beyond authentication.
    """

    message = "User not permitted to perform required action."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        needed = getattr(view, "required_permissions", {}).get(request.method, [])
        return user.has_perms(needed)


def model_permissions(model: str, **overrides: list[str]) -> dict[str, list[str]]:
    """The usual map for ``RequiredPermissions``: ``model_permissions("providers.provider")`` →
    GET view, POST add, PUT/PATCH change, DELETE delete; ``overrides`` replace methods."""
    app, name = model.split(".")
    perms = {
        "GET": [f"{app}.view_{name}"],
        "POST": [f"{app}.add_{name}"],
        "PUT": [f"{app}.change_{name}"],
        "PATCH": [f"{app}.change_{name}"],
        "DELETE": [f"{app}.delete_{name}"],
    }
    return {**perms, **overrides}
