"""Reads of cases and their members, always through the caller's tenancy."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from rest_framework.exceptions import NotFound

from apps.accounts.tenancy import queryset_for_user
from apps.cases.models import Case, CaseMember

MODERATE_PERMISSION = "cases.moderate_case"
NOT_FOUND = "Resource Not Found"


def cases_for_user(user) -> QuerySet[Case]:
    """The cases ``user`` may see: its client's (every client's for global staff)."""
    return queryset_for_user(Case.objects.select_related("client", "created_by"), user)


def case_get(*, user, task_num: str) -> Case:
    """The case numbered ``task_num`` that ``user`` may see; another client's case answers
    exactly like a missing one (NotFound)."""
    case = cases_for_user(user).filter(task_num=task_num).first()
    if case is None:
        raise NotFound(NOT_FOUND)
    return case


def case_members(*, case: Case, role: str | None = None) -> list[CaseMember]:
    """The case's members in the order they were added (optionally of one role)."""
    members = case.members.select_related("user", "case")
    if role:
        members = members.filter(role=role)
    return list(members.order_by("id"))


def user_moderates(*, user, case: Case) -> bool:
    """True when ``user`` was added to ``case`` as a moderator."""
    return case.members.filter(role=CaseMember.Role.MODERATOR, user_id=user.pk).exists()


def user_may_moderate(*, user, case: Case) -> bool:
    """Moderators of the case and holders of ``cases.moderate_case`` may end it."""
    return user.has_perm(MODERATE_PERMISSION) or user_moderates(user=user, case=case)


def user_by_ref(users: QuerySet, ref) -> object | None:
    """The user of ``users`` that ``ref`` names: a user id, else a username."""
    text = str(ref).strip()
    found = users.filter(pk=int(text)).first() if text.isdigit() else None
    return found or users.filter(username=text).first()


def client_user_find(*, client_id: int, ref) -> object | None:
    """The active user of the client named by ``ref`` (a user id, else a username)."""
    users = get_user_model().objects.filter(client_id=client_id, is_active=True)
    return user_by_ref(users, ref)


def moderator_memberships(*, user, task_num: str | None = None) -> list[CaseMember]:
    """The open cases ``user`` moderates (optionally only ``task_num``), newest first."""
    members = CaseMember.objects.select_related("case").filter(
        user=user, role=CaseMember.Role.MODERATOR, case__status=Case.Status.OPEN
    )
    if task_num:
        members = members.filter(case__task_num=task_num)
    return list(members.order_by("-case_id"))
