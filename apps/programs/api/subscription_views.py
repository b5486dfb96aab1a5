"""``/api/accounts/{account_id}/programs…``: subscribe an account to inbound programs.

Served by the programs app because subscriptions are programs' rows (accounts never import
programs). The account must be visible to the caller and the program must belong to the
account's client; anything else answers 404, like a missing id.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.accounts.api.account_serializers import AccountSerializer
from apps.accounts.models import Account
from apps.accounts.tenancy import queryset_for_user
from apps.core.permissions import RequiredPermissions
from apps.programs import selectors, services
from apps.programs.api.serializers import ProgramSerializer
from apps.programs.filters import ProgramFilter
from apps.programs.models import Program

_CHANGE = ["accounts.change_account", "programs.change_program"]


class AccountProgramsMixin:
    """Base of the subscription views: the path's account (404 unless the caller sees it) and
    a program of that account's client.
    """

    permission_classes = [IsAuthenticated, RequiredPermissions]
    serializer_class = AccountSerializer
    required_permissions = {
        "GET": ["accounts.view_account", "programs.view_program"],
        "PUT": _CHANGE,
        "DELETE": _CHANGE,
    }

    def account(self) -> Account:
        accounts = queryset_for_user(Account.objects.all(), self.request.user)
        return get_object_or_404(accounts, pk=self.kwargs["account_id"])

    def program_of(self, account: Account) -> Program:
        return get_object_or_404(
            Program.objects.filter(client_id=account.client_id), pk=self.kwargs["program_id"]
        )

    def answer(self, account: Account) -> Response:
        return Response(AccountSerializer(account).data)


class AccountProgramView(AccountProgramsMixin, generics.GenericAPIView):
    """``PUT`` subscribes the account to the program (replacing its program on the same
    route, e.g. receivefax → faxtoemail); ``DELETE`` unsubscribes. Both answer the Account."""

    @extend_schema(request=None, responses={200: AccountSerializer})
    def put(self, request, account_id, program_id):
        account = self.account()
        services.subscription_create(program=self.program_of(account), account=account)
        return self.answer(account)

    @extend_schema(request=None, responses={200: AccountSerializer})
    def delete(self, request, account_id, program_id):
        account = self.account()
        services.subscription_delete(program=self.program_of(account), account=account)
        return self.answer(account)


class AccountProgramListView(AccountProgramsMixin, generics.ListAPIView):
    """``GET`` lists the programs the account is subscribed to (the program filters);
    ``DELETE`` clears them all (answers the Account)."""

    serializer_class = ProgramSerializer
    filterset_class = ProgramFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return Program.objects.none()
        return selectors.programs_of_account(account=self.account())

    @extend_schema(
        request=None, responses={200: AccountSerializer}, operation_id="api_accounts_programs_clear"
    )
    def delete(self, request, account_id):
        account = self.account()
        services.subscriptions_clear(account=account)
        return self.answer(account)
