"""Writes of programs."""

from rest_framework.exceptions import ValidationError

from apps.programs.models import Program
from apps.programs.types import program_type


def program_create(*, client_id: int, type: str, user=None, name: str = "", **params) -> Program:
    """Create a program of ``type``; its parameter must name a resource of the same client."""
    kind = program_type(type)
    value = params.get(kind.param)
    if value in (None, ""):
        raise ValidationError({kind.param: ["This field is required."]})
    model = kind.resource_model()
    if model is not None and not model.objects.filter(pk=value, client_id=client_id).exists():
        raise ValidationError({kind.param: [f"No such {model._meta.verbose_name} of this client."]})
    data = {kind.param: value}
    return Program.objects.create(
        client_id=client_id, type=type, name=name or type, data=data, created_by=user,
        parent_id=params.get("parent_id"),
    )  # fmt: skip


def program_delete(*, program: Program) -> None:
    program.delete()
