"""Accounts subscribed to inbound programs: PUT/DELETE /api/accounts/{id}/programs[/{id}]."""

import pytest

from apps.accounts.models import Account
from apps.content.models import Text
from apps.programs.models import Program, Subscription
from tests.inbound.conftest import program_for

pytestmark = pytest.mark.django_db


def _subscribed(api, account) -> list[str]:
    response = api.get(f"/api/accounts/{account.id}/programs")
    assert response.status_code == 200, response.content
    return [p["type"] for p in response.json()]


def test_a_receive_program_created_with_an_account_is_subscribed_to_it(admin_api, account):
    program_id = program_for(admin_api, "receivesms", account)
    assert Subscription.objects.filter(program_id=program_id, account=account).exists()
    assert _subscribed(admin_api, account) == ["receivesms"]


def test_subscribe_unsubscribe_and_clear_answer_the_account(admin_api, account, tenant):
    other = Account.objects.create(client=tenant, username="second", phone="+12135550111")
    program_id = program_for(admin_api, "receivefax", account)
    sms_id = program_for(admin_api, "receivesms", account)

    put = admin_api.put(f"/api/accounts/{other.id}/programs/{program_id}")
    assert put.status_code == 200 and put.json()["account_id"] == other.id
    assert put.json()["phone"] == "+12135550111"
    assert admin_api.put(f"/api/accounts/{other.id}/programs/{program_id}").status_code == 200
    assert admin_api.put(f"/api/accounts/{other.id}/programs/{sms_id}/").status_code == 200
    assert sorted(_subscribed(admin_api, other)) == ["receivefax", "receivesms"]

    gone = admin_api.delete(f"/api/accounts/{other.id}/programs/{program_id}")
    assert gone.status_code == 200 and gone.json()["account_id"] == other.id
    assert _subscribed(admin_api, other) == ["receivesms"]
    cleared = admin_api.delete(f"/api/accounts/{other.id}/programs")
    assert cleared.status_code == 200 and cleared.json()["account_id"] == other.id
    assert _subscribed(admin_api, other) == []
    assert _subscribed(admin_api, account) == ["receivefax", "receivesms"]  # untouched


def test_subscribing_replaces_the_accounts_program_on_the_same_route(admin_api, account):
    program_for(admin_api, "receivefax", account)
    program_for(admin_api, "receivesms", account)
    faxtoemail = program_for(admin_api, "faxtoemail", account)  # also fax, to the same DID
    assert sorted(_subscribed(admin_api, account)) == ["faxtoemail", "receivesms"]
    # emailtofax finds its account by the sender, receiveemail by the recipient: both stay.
    program_for(admin_api, "receiveemail", account)
    program_for(admin_api, "emailtofax", account)
    assert sorted(_subscribed(admin_api, account)) == [
        "emailtofax", "faxtoemail", "receiveemail", "receivesms",
    ]  # fmt: skip
    assert Program.objects.filter(pk=faxtoemail).exists()


def test_an_outbound_program_takes_no_account(admin_api, account, tenant):
    text = Text.objects.create(client=tenant, name="hi", data="hi")
    sendsms = admin_api.post("/api/programs/sendsms", {"text_id": text.id}, format="json")
    response = admin_api.put(f"/api/accounts/{account.id}/programs/{sendsms.json()['program_id']}")
    assert response.status_code == 412 and "program_id" in response.json()["error"]["fields"]
    assert not Subscription.objects.exists()


def test_another_clients_account_or_program_answers_404(
    admin_api, stranger_api, account, other_tenant
):
    program_id = program_for(admin_api, "receivesms", account)
    theirs = Account.objects.create(client=other_tenant, username="theirs", phone="+12135550199")
    their_program = program_for(stranger_api, "receivefax", theirs)

    for path in (
        f"/api/accounts/{account.id}/programs/{program_id}",  # our pair, their caller
        f"/api/accounts/{theirs.id}/programs/{program_id}",  # their account, our program
    ):
        assert stranger_api.put(path).status_code == 404
        assert stranger_api.delete(path).status_code == 404
    assert admin_api.put(f"/api/accounts/{account.id}/programs/{their_program}").status_code == 404
    assert stranger_api.delete(f"/api/accounts/{account.id}/programs").status_code == 404
    assert stranger_api.get(f"/api/accounts/{account.id}/programs").status_code == 404
    missing = admin_api.put(f"/api/accounts/{account.id}/programs/999999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == 404
    assert Subscription.objects.filter(account=account).count() == 1
    assert Subscription.objects.filter(account=theirs).count() == 1


def test_subscriptions_need_authentication_and_permissions(anon_api, account, tenant):
    from tests.conftest import api_client_for
    from tests.factories import UserFactory

    powerless = api_client_for(UserFactory(client=tenant))
    assert anon_api.put(f"/api/accounts/{account.id}/programs/1").status_code == 401
    assert powerless.put(f"/api/accounts/{account.id}/programs/1").status_code == 403
    assert powerless.delete(f"/api/accounts/{account.id}/programs").status_code == 403
