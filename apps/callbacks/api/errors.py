"""Validation errors of a task batch keyed by path: ``tasks[1].callback_params.x``."""


def _leaf(value) -> bool:
    """A list of messages (DRF's ErrorDetail strings), as opposed to nested errors."""
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _flatten(value, prefix: str, into: dict) -> None:
    if _leaf(value) or not isinstance(value, dict | list):
        into[prefix] = value if isinstance(value, list) else [value]
        return
    if isinstance(value, dict):
        for key, inner in value.items():
            # ListField children are keyed by their index: ``extended_a_numbers[0]``.
            path = f"{prefix}[{key}]" if isinstance(key, int) else f"{prefix}.{key}"
            _flatten(inner, path, into)
        return
    for index, item in enumerate(value):
        if item:
            _flatten(item, f"{prefix}[{index}]", into)


def batch_errors(detail) -> dict:
    """DRF's ``{"tasks": [{}, {"a_number": [...]}]}`` as ``{"tasks[1].a_number": [...]}``;
    errors about the body itself (``tasks`` missing or empty) keep their plain keys."""
    if not isinstance(detail, dict):
        return detail
    errors: dict = {}
    for field, value in detail.items():
        if _leaf(value):
            errors[field] = value
        else:
            _flatten(value, field, errors)
    return errors
