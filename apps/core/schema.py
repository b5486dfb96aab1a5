"""drf-spectacular extensions: describe Fusion's bearer authentication."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class BearerJWTScheme(SimpleJWTScheme):
    """Bearer JWT from POST /api/authenticate (``Authentication:`` is accepted as well)."""

    target_class = "apps.core.authentication.BearerJWTAuthentication"
    name = "bearerAuth"


_NO_SLASH_PREFIXES = ("/api/", "/authenticate", "/video/", "/client/")


def paths_as_specs_write_them(endpoints):
    """Preprocessing hook: show paths the way each face's spec writes them.

    Every route answers with and without a trailing slash; the schema shows one form:
    ``/api/users`` (Comms, Video and Callbacks specs) but ``/queue/`` and ``/health/``.
    """
    shown = []
    for path, path_regex, method, callback in endpoints:
        if path.startswith(_NO_SLASH_PREFIXES) and path != "/":
            path = path.rstrip("/")
        shown.append((path, path_regex, method, callback))
    return shown
