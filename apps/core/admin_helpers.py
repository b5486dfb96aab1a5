"""Shared pieces of the back-office (Django admin) pages (paging and search of big tables:
``apps.core.admin_paging``).

- ``ReadOnlyInline`` with ``CappedInlineFormSet``: a parent's history, newest rows only.
- ``service_action``: an admin action that calls a service per row and reports the outcome.
- ``ServiceDeleteMixin``: deletes through a service, which may refuse.
- ``SecretFieldsMixin``: encrypted fields are write-only, never rendered.
- ``SummarizedDeleteMixin``: the delete confirmation counts related rows instead of listing
  millions of them; ``OwnedHistoryMixin``: read-only history goes with its row.
"""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.forms.models import BaseInlineFormSet
from rest_framework.exceptions import APIException

from apps.core.exceptions import error_message

INLINE_CAP = 50  # rows a history inline shows
DELETE_LISTING_MAX = 200  # related rows above which the delete page summarises


class CappedInlineFormSet(BaseInlineFormSet):
    """An inline formset showing only the first ``cap`` rows in the inline's ordering."""

    cap = INLINE_CAP

    def get_queryset(self):
        if not hasattr(self, "_capped"):
            self._capped = super().get_queryset()[: self.cap]
        return self._capped


class ReadOnlyAdminMixin:
    """Rows only the engine writes (attempts, events, call records): staff look, never add,
    change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A read-only, capped inline of rows only the engine writes (a job's attempts, events)."""

    formset = CappedInlineFormSet
    extra = 0
    max_num = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class ActionOutcome:
    """What a service action did: rows done, skipped (service said no), refused (why)."""

    def __init__(self):
        self.done, self.skipped, self.refused = 0, 0, []

    def report(self, label: str, noun: str) -> tuple[str, int]:
        text = f"{label}: {self.done} {noun}(s) done"
        if self.skipped:
            text += f"; {self.skipped} skipped (not in a state that allows it)"
        if self.refused:
            text += f"; {len(self.refused)} refused: " + "; ".join(self.refused[:5])
        text = text if text.endswith(".") else text + "."
        if not self.done:
            return text, messages.WARNING
        return text, messages.WARNING if self.skipped or self.refused else messages.SUCCESS


def service_action(service: Callable, *, label: str, kwarg: str, noun: str):
    """An admin action calling ``service(<kwarg>=row)`` for each selected row.

    A service answering False skipped the row; one raising an APIException (Locked, Conflict,
    ValidationError) refused it, and its message is reported; anything else counts as done.
    """

    def action(modeladmin, request, queryset):
        outcome = ActionOutcome()
        for row in queryset:
            try:
                result = service(**{kwarg: row})
            except APIException as refused:
                outcome.refused.append(f"{row}: {error_message(refused.detail)}")
                continue
            if result is False:
                outcome.skipped += 1
            else:
                outcome.done += 1
        modeladmin.message_user(request, *outcome.report(label, noun))

    action.short_description = f"{label} selected {noun}s"
    action.__name__ = f"{noun.replace(' ', '_')}s_{label.lower().replace(' ', '_')}"
    action.allowed_permissions = ("change",)
    return action


class ServiceDeleteMixin:
    """Deletes (one row, or the bulk action) through ``delete_service(<delete_kwarg>=row)``;
    a refusal (409/423) is reported instead of failing the page."""

    delete_service: Callable
    delete_kwarg: str

    def delete_model(self, request, obj):
        self._delete_rows(request, [obj])

    def delete_queryset(self, request, queryset):
        self._delete_rows(request, list(queryset))

    def _delete_rows(self, request, rows) -> None:
        refused = []
        for row in rows:
            try:
                self.delete_service(**{self.delete_kwarg: row})
            except APIException as exc:
                refused.append(f"{row}: {error_message(exc.detail)}")
        if refused:
            self.message_user(request, "Not deleted: " + "; ".join(refused[:5]), messages.ERROR)


class WriteOnlyField(forms.CharField):
    """A password input that never shows the stored value; empty means "keep it"."""

    widget = forms.PasswordInput(render_value=False)

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("strip", False)
        kwargs.setdefault(
            "help_text", "Stored encrypted and never shown. Leave empty to keep the current one."
        )
        super().__init__(**kwargs)

    def has_changed(self, initial, data) -> bool:
        return bool(data)


class SecretFieldsMixin:
    """``secret_fields`` are write-only on change pages and absent from view-only pages; the
    read-only ``secrets_set`` says which of them hold a value."""

    secret_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.secret_fields:
            return WriteOnlyField(label=db_field.verbose_name.capitalize())
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        editable = (self.has_change_permission(request, obj) if obj is not None
                    else self.has_add_permission(request))  # fmt: skip
        if not editable:
            exclude += [name for name in self.secret_fields if name not in exclude]
        return exclude

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "secrets_set"]

    @admin.display(description="secrets")
    def secrets_set(self, obj) -> str:
        shown = [f"{name}: {'set' if getattr(obj, name, '') else 'not set'}"
                 for name in self.secret_fields]  # fmt: skip
        return "; ".join(shown)

    def save_model(self, request, obj, form, change):
        for name in self.secret_fields:
            if name in form.cleaned_data and not form.cleaned_data[name]:
                setattr(obj, name, form.initial.get(name, ""))  # empty input: keep the stored one
        super().save_model(request, obj, form, change)


def related_counts(objs) -> list[tuple[models.ForeignObjectRel, int]]:
    """Rows of every table pointing at ``objs`` (one level), one COUNT per relation."""
    objs = list(objs)
    if not objs:
        return []
    pks = [obj.pk for obj in objs]
    counts = []
    for rel in objs[0]._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete) or rel.many_to_many:
            continue
        total = rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": pks}).count()
        if total:
            counts.append((rel, total))
    return counts


class SummarizedDeleteMixin:
    """The delete confirmation of a row with thousands of dependants (a group's memberships,
    a scheduler's tasks, a program's transmissions) counts them instead of listing each."""

    def get_deleted_objects(self, objs, request):
        counts = related_counts(objs)
        if sum(total for _, total in counts) <= DELETE_LISTING_MAX:
            return super().get_deleted_objects(objs, request)
        opts = self.model._meta
        listed = [f"{len(list(objs))} {opts.verbose_name_plural}"]
        protected, perms_needed, model_count = [], set(), {opts.verbose_name_plural: len(objs)}
        for rel, total in counts:
            name = rel.related_model._meta.verbose_name_plural
            if rel.on_delete is models.PROTECT:
                protected.append(f"{total:,} {name} (protected: delete or move them first)")
            elif rel.on_delete is models.CASCADE:
                listed.append(f"{total:,} {name}")
                model_count[name] = total
                related_admin = self.admin_site._registry.get(rel.related_model)
                if related_admin and not related_admin.has_delete_permission(request):
                    perms_needed.add(rel.related_model._meta.verbose_name)
        return listed, model_count, perms_needed, protected


class OwnedHistoryMixin:
    """Rows of ``owned_history`` models (attempts, events, call records: read-only, nobody
    deletes them one by one) go with the row they belong to, without a permission of their
    own; any other dependant still needs its delete permission."""

    owned_history: tuple[type[models.Model], ...] = ()

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        owned = {model._meta.verbose_name for model in self.owned_history}
        return deleted, counts, set(perms_needed) - owned, protected
