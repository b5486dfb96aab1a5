"""URL helpers: every API path answers with and without a trailing slash, never redirecting."""

from django.urls import re_path


def route(pattern: str, view, name: str | None = None):
    """``route("users/<int:user_id>", view)`` matches ``users/5`` and ``users/5/``.

    Path converters ``<int:x>`` and ``<str:x>`` are supported; a POST is never redirected
    because nothing depends on APPEND_SLASH.
    """
    regex = pattern.rstrip("/")
    for converter, group in (
        ("int", r"[0-9]+"),
        ("str", r"[^/]+"),
        ("uuid", r"[0-9a-fA-F-]{32,36}"),
    ):
        while f"<{converter}:" in regex:
            start = regex.index(f"<{converter}:")
            end = regex.index(">", start)
            field = regex[start + len(converter) + 2 : end]
            regex = f"{regex[:start]}(?P<{field}>{group}){regex[end + 1 :]}"
    return re_path(rf"^{regex}/?$", view, name=name)
