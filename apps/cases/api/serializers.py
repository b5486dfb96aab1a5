"""Request shapes of the Video cases face (video-cases-api.txt), validated field by field."""

import datetime as dt

import phonenumbers
from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.cases.models import Case
from apps.contacts.phones import InvalidPhone, phone_normalise, region_for_client

MAX_CUSTOMERS = 100
TASK_NUM_HELP = "The 15-digit task number: YYYYMMDD + a 7-digit daily sequence."
_LATEST_UNIX = 253402300799  # 9999-12-31 23:59:59 UTC


class TaskNumField(serializers.CharField):
    """A task number as createBlankTask answers it (``202312210000001``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 15)
        kwargs.setdefault("help_text", TASK_NUM_HELP)
        super().__init__(**kwargs)
        self.validators.append(RegexValidator(r"^\d{15}$", message=TASK_NUM_HELP))


@extend_schema_field(
    {"type": "string", "pattern": "^[0-9]+$", "example": "1703141398",
     "description": "Unix seconds (UTC); a JSON number is accepted too."}
)  # fmt: skip
class UnixTimeField(serializers.Field):
    """Unix seconds in and out: a JSON number or a string of digits; answered as a string."""

    default_error_messages = {
        "invalid": "Use unix seconds (e.g. 1703141398), as a number or a string of digits.",
        "range": "Out of range.",
    }

    def to_internal_value(self, data) -> dt.datetime:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid")
        text = str(data).strip()
        if not text.isdigit():
            self.fail("invalid")
        if not 0 < int(text) <= _LATEST_UNIX:
            self.fail("range")
        return dt.datetime.fromtimestamp(int(text), tz=dt.UTC)

    def to_representation(self, value: dt.datetime) -> str:
        return unix_text(value)


def unix_text(value: dt.datetime | None) -> str | None:
    """A time as the spec writes ``task_time``: unix seconds in a string."""
    return None if value is None else str(int(value.timestamp()))


class NullAsAbsentMixin:
    """An optional field sent as JSON null counts as not sent (its default applies)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            optional = {name for name, field in self.fields.items() if not field.required}
            data = {k: v for k, v in data.items() if not (v is None and k in optional)}
        return super().to_internal_value(data)


def _code_field(**kwargs) -> serializers.CharField:
    """Branch and business codes: strings, though JSON numbers (as in the spec) are taken."""
    return serializers.CharField(max_length=64, **kwargs)


class VideoCreateBlankTaskSerializer(NullAsAbsentMixin, serializers.Serializer):
    """createBlankTask. ``task_remarks`` (the spec's table) is read as ``task_remark``; an
    empty ``task_time`` counts as not sent."""

    business_id = serializers.IntegerField(min_value=0, max_value=2**63 - 1)
    out_task_num = serializers.CharField(max_length=64)
    out_task_type = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    task_type = serializers.ChoiceField(choices=Case.TaskType.choices)
    task_notify = serializers.BooleanField(required=False, default=False)
    task_time = UnixTimeField(required=False, allow_null=True, default=None)
    task_remark = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    branch_code = _code_field()
    business_code = _code_field(required=False, allow_blank=True, default="")
    room_type = serializers.ChoiceField(choices=Case.RoomType.choices)
    video = serializers.BooleanField()

    def to_internal_value(self, data):
        if isinstance(data, dict) and data.get("task_remark") is None and "task_remarks" in data:
            data = {**data, "task_remark": data["task_remarks"]}
        if isinstance(data, dict) and str(data.get("task_time", "x")).strip() == "":
            # The spec types task_time as an optional string: an empty one is "not provided"
            # (now, or "required" for a scheduled room), not a malformed time.
            data = {key: value for key, value in data.items() if key != "task_time"}
        return super().to_internal_value(data)

    def validate(self, attrs: dict) -> dict:
        if attrs["room_type"] == Case.RoomType.NORMAL and attrs.get("task_time") is None:
            raise serializers.ValidationError(
                {"task_time": ["Required when room_type is normal (a scheduled room)."]}
            )
        return attrs


class VideoCreateTaskModeratorSerializer(NullAsAbsentMixin, serializers.Serializer):
    """createTaskModerator: ``emp_id`` (a user id or username of the client), else the caller."""

    task_num = TaskNumField()
    business_code = _code_field(required=False, allow_blank=True, default="")
    branch_code = _code_field(required=False, allow_blank=True, default="")
    emp_id = serializers.CharField(
        max_length=150, required=False, allow_blank=True, allow_null=True, default=None
    )


def region_of_country_code(value: str) -> str:
    """``+886``, ``886`` or ``TW`` → ``TW``; raises ValueError for an unknown code."""
    text = value.strip().lstrip("+")
    if text.isdigit():
        region = phonenumbers.region_code_for_country_code(int(text))
    else:
        region = text.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"Unknown country code {value!r}.")
    return region


class VideoCustomerSerializer(NullAsAbsentMixin, serializers.Serializer):
    """One customer (publisher). The phone is stored in E.164, read in the region of
    ``customer_country_code`` (else the client's default region) unless it starts with +."""

    customer_title = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default=""
    )
    customer_name = serializers.CharField(max_length=120)
    customer_id_num = serializers.CharField(max_length=64)
    customer_country_code = serializers.CharField(
        max_length=8, required=False, allow_blank=True, default=""
    )
    customer_phone = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default=""
    )
    customer_email = serializers.EmailField(
        max_length=254, required=False, allow_blank=True, default=""
    )  # the column's length: a longer address (up to 320 passes the validator) is a 400

    def validate(self, attrs: dict) -> dict:
        country_code, phone = self._phone_of(attrs)
        if self.context.get("task_notify") and not (phone or attrs["customer_email"]):
            raise serializers.ValidationError(
                {"customer_phone": ["A phone or an email is needed: the case notifies customers."]}
            )
        return {
            "title": attrs["customer_title"],
            "name": attrs["customer_name"],
            "id_num": attrs["customer_id_num"],
            "country_code": country_code,
            "phone": phone,
            "email": attrs["customer_email"],
        }

    def _phone_of(self, attrs: dict) -> tuple[str, str]:
        """(country code as ``+NNN``, phone in E.164), both possibly empty."""
        code_text, raw = attrs["customer_country_code"].strip(), attrs["customer_phone"].strip()
        region = None
        if code_text:
            try:
                region = region_of_country_code(code_text)
            except ValueError as exc:
                raise serializers.ValidationError({"customer_country_code": [str(exc)]}) from exc
        if not raw:
            return _dialling_code(region), ""
        try:
            phone = phone_normalise(
                raw, region=region or region_for_client(self.context.get("client"))
            )
        except InvalidPhone as exc:
            raise serializers.ValidationError({"customer_phone": [str(exc)]}) from exc
        return f"+{phonenumbers.parse(phone).country_code}", phone


def _dialling_code(region: str | None) -> str:
    return f"+{phonenumbers.country_code_for_region(region)}" if region else ""


class VideoCreateTaskPublisherSerializer(serializers.Serializer):
    """createTaskPublisher (for the schema; the view validates with ``customers_validate``)."""

    task_num = TaskNumField()
    customer = VideoCustomerSerializer(many=True)


def _customers_raw(data) -> list:
    if not isinstance(data, dict) or data.get("customer") in (None, "", []):
        raise serializers.ValidationError({"customer": ["At least one customer is required."]})
    customers = data["customer"]
    customers = [customers] if isinstance(customers, dict) else customers
    if not isinstance(customers, list):
        raise serializers.ValidationError({"customer": ["Expected a list of customers."]})
    if len(customers) > MAX_CUSTOMERS:
        raise serializers.ValidationError(
            {"customer": [f"At most {MAX_CUSTOMERS} customers per request."]}
        )
    return customers


def customers_validate(data, *, client, task_notify: bool) -> list[dict]:
    """The request's customers as CaseMember fields, all valid or a ValidationError whose keys
    name the item and field (``customer[1].customer_phone``). One object counts as a list."""
    errors, valid, seen = {}, [], set()
    context = {"client": client, "task_notify": task_notify}
    for index, item in enumerate(_customers_raw(data)):
        serializer = VideoCustomerSerializer(data=item, context=context)
        if not serializer.is_valid():
            for field, messages in serializer.errors.items():
                key = "" if field == "non_field_errors" else f".{field}"
                errors[f"customer[{index}]{key}"] = messages
            continue
        customer = serializer.validated_data
        if customer["id_num"] in seen:
            errors[f"customer[{index}].customer_id_num"] = ["Repeated in this request."]
        seen.add(customer["id_num"])
        valid.append(customer)
    if errors:
        raise serializers.ValidationError(errors)
    return valid


class VideoUpdateTaskStatusSerializer(serializers.Serializer):
    """updateTaskStatus: end a case."""

    task_num = TaskNumField()
    task_status = serializers.ChoiceField(
        choices=[(Case.Status.FINISHED, "Case completed"), (Case.Status.CANCELED, "Cancel case")]
    )


class VideoTaskQuerySerializer(serializers.Serializer):
    """getTask's query string."""

    task_num = TaskNumField()


class VideoGetAuthCodeSerializer(serializers.Serializer):
    """getAuthCode: a code for ``user_id`` (a user id or username of the client; default: the
    caller)."""

    user_id = serializers.CharField(
        max_length=150, required=False, allow_blank=True, allow_null=True, default=None
    )


class VideoRedeemAuthCodeSerializer(serializers.Serializer):
    """redeemAuthCode: spend a code; ``task_num`` narrows the answer to one case."""

    code = serializers.CharField(max_length=128)
    task_num = TaskNumField(required=False, allow_blank=True, default="")
