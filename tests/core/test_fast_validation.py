"""FastValidationMixin: the same results and the same errors as DRF's own validation.

The Queue face's serializers validate through the mixin; here each of them runs random inputs
both ways — the mixin's ``run_validation`` and DRF's ``Serializer.run_validation`` on a twin
instance — and the two must agree exactly (value or error body).
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from apps.jobs.api.serializers.channels import CHANNEL_DATA_SERIALIZERS
from apps.jobs.api.serializers.tasks import ScheduledTaskSerializer, TaskSerializer
from apps.jobs.catalog import task_kind

ODD_TEXTS = [
    "", "  ", "hi", " padded ", "9876543210", "+919876543210", "91", "IN", "x\x00y",
    "https://example.com/a.pdf", "ftp://example.com", "a@example.com", "a@b", "true",
    "0", "1", "2", "2030-01-02T03:04:05", "नमस्ते", "\ud800", "x" * 2100,
]  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(ODD_TEXTS),
    st.text(max_size=12),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


def _data_for(fields: list[str], valid: dict | None = None):
    """Objects using the serializer's own keys (plus a stray one), any value in each; with
    ``valid``, that valid object with some keys dropped or changed (so that most inputs get
    past the first error, where the two paths could differ)."""
    keys = st.sampled_from([*fields, "unknown"])
    changes = st.dictionaries(keys, VALUES, max_size=3 if valid else len(fields) + 1)
    if not valid:
        return changes
    dropped = st.sets(st.sampled_from(sorted(valid)), max_size=2)
    return st.builds(
        lambda change, drop: {k: v for k, v in valid.items() if k not in drop} | change,
        changes,
        dropped,
    )


def _outcome(run, data):
    try:
        return "ok", run(data)
    except serializers.ValidationError as error:
        return "error", error.detail


def _agree(serializer_class, data, context=None):
    fast, plain = serializer_class(context=context or {}), serializer_class(context=context or {})
    expected = _outcome(lambda d: serializers.Serializer.run_validation(plain, d), data)
    assert _outcome(fast.run_validation, data) == expected


CHANNEL_KINDS = {"sms": (1, 1), "email": (2, 1), "push": (3, 1), "webhook": (4, 2)}
CHANNEL_KINDS["whatsapp"] = (6, 2)
PHONE = {"contact": "9876543210", "countryCode": 91}
VALID = {
    "sms": PHONE | {"message": " hi ", "senderId": "FUSION", "otp": 1234, "config": {"a": 1}},
    "email": {"to": ["a@example.com"], "subject": "S", "message": "<p>x</p>", "text": "x",
              "sender_name": "N", "cc": "b@example.com, c@example.com", "is_template": False},
    "push": {"token": "t0k", "title": "T", "body": "B", "data": {"n": 1, "b": True}},
    "webhook": {"url": "https://example.com/h", "args": {"a": 1}, "isBody": True, "timeout": 5,
                "callback": False, "headers": {"X-B": "2"}},
    "whatsapp": PHONE | {"message": "hi", "file": "https://example.com/a.pdf", "cache_key": "k"},
}  # fmt: skip

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("channel", sorted(CHANNEL_DATA_SERIALIZERS))
@FUZZ
@given(data=st.data())
def test_channel_data_validates_as_drf_does(channel, data):
    serializer_class = CHANNEL_DATA_SERIALIZERS[channel]
    fields = list(serializer_class().fields)
    context = {"kind": task_kind(*CHANNEL_KINDS[channel]), "headers": {"X-A": "1"}}
    _agree(serializer_class, data.draw(_data_for(fields, VALID[channel])), context)


SMS_DATA = st.fixed_dictionaries(
    {"contact": st.sampled_from([9876543210, "9876543210", "12", " 9876543211 "])},
    optional={
        "countryCode": st.sampled_from([91, "91", "+91", "IN", "999", None, ""]),
        "message": SCALARS,
        "otp": SCALARS,
        "config": VALUES,
    },
)


@pytest.mark.parametrize("serializer_class", [TaskSerializer, ScheduledTaskSerializer])
@FUZZ
@given(data=st.data())
def test_tasks_validate_as_drf_does(serializer_class, data):
    valid = {"task": 1, "task_type": 2, "data": data.draw(SMS_DATA), "retry": 2}
    valid |= {"log_tag": "t", "subscribe": "https://example.com/cb", "override_priority": 1}
    if serializer_class is ScheduledTaskSerializer:
        valid |= {"sch_time": "2030-01-02T03:04:05", "window_delay": "w"}
    _agree(serializer_class, data.draw(_data_for(list(serializer_class().fields), valid)))


def test_a_valid_task_never_reaches_drf_field_machinery(monkeypatch):
    """The quick path really is taken: with DRF's to_internal_value broken, valid input still
    validates; an invalid one falls back to DRF (and meets the broken method)."""

    def broken(self, data):
        raise AssertionError("DRF path used")

    monkeypatch.setattr(serializers.Serializer, "to_internal_value", broken)
    sms = {"contact": 9876543210, "countryCode": 91, "message": "hi", "config": {"provider": 1}}
    attrs = TaskSerializer().run_validation({"task": 1, "task_type": 2, "data": sms})
    assert attrs["payload"] == {"to": "+919876543210", "text": "hi", "config": {"provider": 1}}
    assert attrs["retry"] == 0 and "log_tag" not in attrs
    with pytest.raises(AssertionError, match="DRF path used"):
        TaskSerializer().run_validation({"task": 1, "task_type": 2, "data": sms, "retry": 11})
