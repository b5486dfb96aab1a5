"""The provider token bucket: capacity, refill, the high-priority reserve, waits, concurrency."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from apps.providers.models import Provider, ProviderRate
from apps.providers.rate import provider_sends_take
from tests.factories import ClientFactory


def _provider(rate) -> Provider:
    return Provider.objects.create(
        client=ClientFactory(), name="limited", type="sandbox", service_flag=4, max_per_second=rate
    )


def _rewind(provider: Provider, seconds: float) -> None:
    """As if the bucket's last take had happened ``seconds`` earlier."""
    bucket = ProviderRate.objects.get(pk=provider.pk)
    bucket.refilled_at -= timedelta(seconds=seconds)
    bucket.save()


@pytest.mark.django_db
def test_a_provider_without_a_limit_grants_every_send():
    grant = provider_sends_take(provider=_provider(None), wanted=500)
    assert (grant.granted, grant.waits) == (500, [])
    assert not ProviderRate.objects.exists()


@pytest.mark.django_db
def test_a_full_bucket_holds_one_seconds_worth_and_says_when_the_rest_may_go():
    provider = _provider(10)
    grant = provider_sends_take(provider=provider, wanted=25)
    assert grant.granted == 10
    assert len(grant.waits) == 15
    # The n-th held send finds its token (n + 1) tenths of a second later (a little less, as
    # the bucket refilled while the test ran).
    for n, wait in enumerate(grant.waits):
        assert (n + 1) / 10 - 0.05 <= wait <= (n + 1) / 10 + 1e-9


@pytest.mark.django_db
def test_sends_told_to_wait_queue_behind_those_told_before_them():
    provider = _provider(10)
    assert provider_sends_take(provider=provider, wanted=10).granted == 10
    first = provider_sends_take(provider=provider, wanted=5)
    second = provider_sends_take(provider=provider, wanted=5)
    assert first.granted == second.granted == 0
    assert first.waits == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.5], abs=0.05)
    assert second.waits == pytest.approx([0.6, 0.7, 0.8, 0.9, 1.0], abs=0.05)
    otp = provider_sends_take(provider=provider, wanted=3, high=True)  # not behind the queue
    assert otp.granted == 2 and otp.waits == pytest.approx([0.1], abs=0.05)
    after = provider_sends_take(provider=provider, wanted=1)  # the queue is still there
    assert after.waits == pytest.approx([1.1], abs=0.05)


@pytest.mark.django_db
def test_the_bucket_refills_at_the_providers_rate():
    provider = _provider(10)
    assert provider_sends_take(provider=provider, wanted=10).granted == 10
    assert provider_sends_take(provider=provider, wanted=10).granted == 0
    _rewind(provider, 0.55)
    assert provider_sends_take(provider=provider, wanted=10).granted == 5
    _rewind(provider, 3600)  # a long pause refills one second's worth, not an hour's
    assert provider_sends_take(provider=provider, wanted=100).granted == 10


@pytest.mark.django_db
def test_a_slow_provider_still_sends_one_at_a_time():
    provider = _provider(0.5)  # one send every two seconds
    first = provider_sends_take(provider=provider, wanted=3)
    assert first.granted == 1
    assert first.waits == pytest.approx([2.0, 4.0], abs=0.05)


@pytest.mark.django_db
def test_high_priority_borrows_beyond_an_empty_bucket_and_low_priority_repays_it():
    provider = _provider(10)
    assert provider_sends_take(provider=provider, wanted=10).granted == 10  # a campaign emptied it
    assert provider_sends_take(provider=provider, wanted=1).granted == 0
    otp = provider_sends_take(provider=provider, wanted=5, high=True)
    assert otp.granted == 2  # the reserve is rate / 5 = 2 sends
    low = provider_sends_take(provider=provider, wanted=1)
    assert low.granted == 0
    assert low.waits[0] == pytest.approx(0.3, abs=0.05)  # repay 2, then its own token


@pytest.mark.django_db(transaction=True)
def test_workers_taking_at_once_never_spend_a_token_twice():
    provider = _provider(0.001)  # one token, and no refill worth counting during the test
    granted, start = [], threading.Barrier(8)

    def take():
        try:
            start.wait()
            granted.append(provider_sends_take(provider=provider, wanted=3).granted)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(granted) == 8
    assert sum(granted) == 1
    assert ProviderRate.objects.get(pk=provider.pk).tokens == pytest.approx(0, abs=0.01)
