"""POST /queue/: validation (all or nothing), normalised payloads, options and idempotency."""

import threading

import pytest
from django.db import connection

from apps.delivery.models import Event, Job
from apps.jobs.models import IdempotentRequest
from tests.conftest import api_client_for
from tests.jobs.conftest import NUMBER, email_task, sms_task

pytestmark = pytest.mark.django_db


def post(api, body, path="/queue/", **headers):
    return api.post(path, body, format="json", **headers)


def only_job() -> Job:
    return Job.objects.get()


def test_sms_task_is_stored_as_an_e164_sms_job(user_api, tenant):
    response = post(user_api, [sms_task(data={**sms_task()["data"], "senderId": "CRELIO"})])
    assert response.status_code == 200
    body = response.json()
    job = only_job()
    assert body == {"code": 200, "job_ids": [str(job.uuid)]}
    assert job.client == tenant and job.channel == "sms" and job.origin == "queue"
    assert job.payload == {"to": NUMBER, "text": "Your OTP is 1234", "sender": "CRELIO"}
    assert job.meta == {"task": 1, "task_type": 1}
    assert job.priority == 2 and job.log_tag == "SMS_OTP" and job.status == "scheduled"
    assert job.attempts_allowed == 1


def test_job_ids_follow_input_order(user_api):
    tasks = [sms_task(log_tag=f"t{i}") for i in range(3)] + [email_task(log_tag="t3")]
    job_ids = post(user_api, tasks).json()["job_ids"]
    tags = [Job.objects.get(uuid=job_id).log_tag for job_id in job_ids]
    assert tags == ["t0", "t1", "t2", "t3"]


def test_a_single_object_is_accepted_like_a_one_item_array(user_api):
    response = post(user_api, sms_task())
    assert response.status_code == 200 and len(response.json()["job_ids"]) == 1


def test_priority_comes_from_the_task_table_unless_overridden(user_api):
    app_links = sms_task(task_type=2)  # LOW
    ids = post(user_api, [app_links, {**app_links, "override_priority": 2}]).json()["job_ids"]
    assert [Job.objects.get(uuid=i).priority for i in ids] == [0, 2]


def test_retry_sets_the_attempts_allowed(user_api):
    post(user_api, [sms_task(retry=3)])
    assert only_job().attempts_allowed == 4


def test_null_in_any_optional_field_means_not_sent(user_api):
    nulls = dict.fromkeys(
        ["log_tag", "headers", "retry", "override_priority", "subscribe",
         "success_task_handler", "failed_task_handler"]
    )  # fmt: skip
    response = post(user_api, [sms_task(**nulls)])
    assert response.status_code == 200, response.json()
    job = only_job()
    assert (job.log_tag, job.attempts_allowed, job.priority, job.hooks) == ("", 1, 2, {})
    body = [{**sms_task(**nulls), "sch_time": "2099-01-01T00:00:00", "window_delay": None}]
    body[0]["override_window"] = None
    assert post(user_api, body, path="/schedule/").status_code == 200


def test_hook_urls_are_kept_under_their_spec_names(user_api):
    hooks = {
        "subscribe": "https://callback.url/notify",
        "failed_task_handler": "https://callback.url/failed",
        "success_task_handler": "https://callback.url/success",
    }
    post(user_api, [sms_task(**hooks)])
    assert only_job().hooks == hooks


@pytest.mark.parametrize(
    ("task", "field"),
    [
        (sms_task(data={"contact": "12", "countryCode": 91, "message": "x"}), "0.data.contact"),
        (sms_task(data={"contact": "98765", "message": "x"}), "0.data.countryCode"),
        (sms_task(data={"contact": "9876543210", "countryCode": 999, "message": "x"}),
         "0.data.countryCode"),
        (sms_task(data={"contact": "+919876543210"}), "0.data.message"),
        (sms_task(data="hello"), "0.data"),
        (sms_task(subscribe="ftp://callback.url/x"), "0.subscribe"),
        (sms_task(success_task_handler="not a url"), "0.success_task_handler"),
        (sms_task(override_priority=3), "0.override_priority"),
        (sms_task(retry=11), "0.retry"),
        (sms_task(log_tag="x" * 129), "0.log_tag"),
        (sms_task(task=5), "0.task"),
        (sms_task(task_type=8), "0.task_type"),
        (sms_task(task="sms"), "0.task"),
        ({"task": 1, "task_type": 1}, "0.data"),
        (email_task(data={"to": ["nope"], "subject": "s", "message": "m"}), "0.data.to.0"),
        (email_task(data={"subject": "s", "message": "m"}), "0.data.to"),
        (email_task(data={"to": "a@b.co", "subject": "s", "files": ["file:///etc/passwd"],
                          "message": "m"}), "0.data.files.0"),
        (email_task(data={"to": "a@b.co", "subject": "s", "is_template": 1}), "0.data.template"),
        ({"task": 3, "task_type": 1, "data": {"title": "t"}}, "0.data.token"),
        ({"task": 3, "task_type": 1, "data": {"token": "t", "data": {"a": {"b": 1}}}},
         "0.data.data"),
        ({"task": 4, "task_type": 1, "data": {"url": "gopher://x"}}, "0.data.url"),
        ({"task": 4, "task_type": 2, "data": {"url": "https://x.io", "timeout": 61}},
         "0.data.timeout"),
        ({"task": 4, "task_type": 2, "data": {"url": "https://x.io", "callback": 1}},
         "0.data.callback_url"),
        ({"task": 4, "task_type": 2, "headers": {"Bad Name": "x"},
          "data": {"url": "https://x.io"}}, "0.headers"),
        ({"task": 4, "task_type": 2, "data": {"url": "https://x.io",
                                              "headers": {"X-A": "a\r\nX-B: b"}}},
         "0.data.headers"),
        ({"task": 6, "task_type": 2, "data": {"contact": NUMBER, "message": "bill"}},
         "0.data.file"),
        ({"task": 6, "task_type": 1, "data": {"contact": "0", "countryCode": 91}},
         "0.data.contact"),
    ],
)  # fmt: skip
def test_a_bad_field_answers_400_naming_index_and_field(user_api, task, field):
    response = post(user_api, [task])
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 400 and field in body["errors"], body
    assert Job.objects.count() == 0


def test_one_bad_task_rejects_the_whole_batch_and_names_its_index(user_api):
    bad = sms_task(data={"contact": "12", "countryCode": 91, "message": "x"})
    response = post(user_api, [sms_task(), email_task(), bad])
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["2.data.contact"]
    assert Job.objects.count() == 0 and Event.objects.count() == 0


def test_unknown_task_type_names_the_pair_and_the_known_types(user_api):
    response = post(user_api, [sms_task(task_type=99)])
    message = response.json()["errors"]["0.task_type"][0]
    assert "99" in message and "1, 2, 3, 4, 5, 6, 7" in message


def test_more_than_1000_tasks_are_refused_naming_the_limit(user_api):
    response = post(user_api, [sms_task()] * 1001)
    assert response.status_code == 400
    assert "1000" in response.json()["errors"]["tasks"][0]
    assert Job.objects.count() == 0


@pytest.mark.parametrize("body", [[], "text", 5])
def test_a_body_that_is_not_tasks_is_refused(user_api, body):
    response = post(user_api, body)
    assert response.status_code == 400 and "tasks" in response.json()["errors"]


def test_malformed_json_is_a_400_in_the_queue_envelope(user_api):
    response = user_api.generic("POST", "/queue/", "[{", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == 400


@pytest.mark.parametrize(
    ("contact", "country_code"),
    [
        (9876543210, 91),
        ("98765 43210", "+91"),
        ("09876543210", "91"),  # national trunk prefix
        ("919876543210", 91),  # country code typed twice
        ("+91 98765-43210", None),  # already international: parsed as is
        ("+919876543210", 1),  # a + number ignores countryCode
        ("9876543210", "IN"),
    ],
)
def test_phone_numbers_are_normalised_to_e164(user_api, contact, country_code):
    data = {"contact": contact, "countryCode": country_code, "message": "hi"}
    assert post(user_api, [sms_task(data=data)]).status_code == 200
    assert only_job().payload["to"] == NUMBER


def test_sms_keeps_otp_config_and_callback_url(user_api):
    data = {
        "contact": 9876543210,
        "countryCode": 91,
        "message": "Your OTP is 1234",
        "otp": 1234,
        "config": {"provider": "msg91"},
        "callback_url": "https://cb.example.com/dlr",
        "unknown": "dropped",
    }
    post(user_api, [sms_task(data=data)])
    assert only_job().payload == {
        "to": NUMBER,
        "text": "Your OTP is 1234",
        "otp": "1234",
        "config": {"provider": "msg91"},
        "callback_url": "https://cb.example.com/dlr",
    }


def test_email_is_normalised_to_the_gateway_shape(user_api):
    data = {
        "to": ["user@example.com"],
        "cc": "a@example.com, b@example.com",
        "subject": "Email Subject",
        "message": "<html>Email body</html>",
        "sender_name": "CrelioHealth",
        "sender_email": "no-reply@creliohealth.com",
        "files": ["https://s3.amazonaws.com/bucket/file.pdf"],
        "callback_url": "https://cb.example.com/mail",
    }
    post(user_api, [email_task(task_type=6, data=data)])
    job = only_job()
    assert job.priority == 0 and job.channel == "email"
    assert job.payload == {
        "to": ["user@example.com"],
        "cc": ["a@example.com", "b@example.com"],
        "bcc": [],
        "subject": "Email Subject",
        "html": "<html>Email body</html>",
        "from_name": "CrelioHealth",
        "from_email": "no-reply@creliohealth.com",
        "files": ["https://s3.amazonaws.com/bucket/file.pdf"],
        "callback_url": "https://cb.example.com/mail",
    }


def test_template_email_keeps_template_and_flag(user_api):
    data = {"to": "a@example.com", "subject": "s", "template": "<p>{{name}}</p>", "is_template": 1}
    post(user_api, [email_task(task_type=5, data=data)])
    payload = only_job().payload
    assert payload["template"] == "<p>{{name}}</p>" and payload["is_template"] is True


def test_push_is_normalised_with_string_data(user_api):
    data = {"token": "device-1", "title": "Report ready", "body": "Tap", "data": {"id": 42}}
    post(user_api, [{"task": 3, "task_type": 6, "data": data}])
    job = only_job()
    assert job.channel == "push" and job.priority == 2
    assert job.payload == {
        "token": "device-1",
        "title": "Report ready",
        "body": "Tap",
        "data": {"id": "42"},
    }


@pytest.mark.parametrize(
    ("task_type", "method"), [(1, "GET"), (2, "POST"), (3, "PUT"), (4, "DELETE")]
)
def test_webhook_method_comes_from_task_type(user_api, task_type, method):
    post(
        user_api, [{"task": 4, "task_type": task_type, "data": {"url": "https://api.example.com"}}]
    )
    payload = only_job().payload
    assert payload["method"] == method
    assert payload["is_body"] is (method in ("POST", "PUT")) and payload["timeout"] == 15


def test_webhook_merges_task_headers_under_data_headers(user_api):
    task = {
        "task": 4,
        "task_type": 2,
        "headers": {"Authorization": "Bearer outer", "X-Trace": "1"},
        "data": {
            "url": "https://api.example.com/endpoint",
            "args": {"key": "value"},
            "isBody": 0,
            "timeout": 30,
            "callback": 1,
            "callback_url": "https://callback.url",
            "headers": {"Authorization": "Bearer token"},
        },
    }
    post(user_api, [task])
    assert only_job().payload == {
        "url": "https://api.example.com/endpoint",
        "method": "POST",
        "args": {"key": "value"},
        "is_body": False,
        "headers": {"Authorization": "Bearer token", "X-Trace": "1"},
        "timeout": 30,
        "callback_url": "https://callback.url",
    }


def test_webhook_callback_0_drops_the_callback_url(user_api):
    data = {"url": "https://x.example.com", "callback": 0, "callback_url": "https://cb.example.com"}
    post(user_api, [{"task": 4, "task_type": 2, "data": data}])
    assert "callback_url" not in only_job().payload


@pytest.mark.parametrize("key", ["file", "url", "document"])
def test_whatsapp_with_file_takes_the_document_from_any_spec_key(user_api, key):
    data = {
        "contact": 9876543210,
        "countryCode": 91,
        "message": "Your bill",
        key: "https://files.example.com/bills/b-17.pdf",
        "cache_key": "patient-42",
    }
    post(user_api, [{"task": 6, "task_type": 2, "data": data}])
    assert only_job().payload == {
        "to": NUMBER,
        "text": "Your bill",
        "document": {"url": "https://files.example.com/bills/b-17.pdf", "filename": "b-17.pdf"},
        "cache_key": "patient-42",
    }


def test_whatsapp_document_object_keeps_its_filename(user_api):
    document = {"url": "https://files.example.com/x", "filename": "Bill.pdf"}
    data = {"contact": NUMBER, "document": document}
    post(user_api, [{"task": 6, "task_type": 2, "data": data}])
    assert only_job().payload["document"] == document


def test_global_staff_without_a_client_is_told_to_use_a_client(global_staff):
    response = post(api_client_for(global_staff), [sms_task()])
    assert response.status_code == 400 and "client" in response.json()["errors"]
    assert Job.objects.count() == 0


def test_no_token_answers_401_in_the_queue_envelope(anon_api):
    response = post(anon_api, [sms_task()])
    assert response.status_code == 401 and response.json()["code"] == 401
    assert Job.objects.count() == 0


def test_a_user_without_the_add_job_permission_gets_403(tenant):
    from tests.factories import UserFactory

    response = post(api_client_for(UserFactory(client=tenant)), [sms_task()])
    assert response.status_code == 403 and response.json()["code"] == 403


@pytest.mark.parametrize("path", ["/queue", "/queue/"])
def test_queue_answers_with_and_without_trailing_slash(user_api, path):
    assert post(user_api, [sms_task()], path=path).status_code == 200


# --- Idempotency-Key ------------------------------------------------------------------


def test_same_idempotency_key_and_body_answers_the_same_ids_without_new_rows(user_api):
    body = [sms_task(), email_task()]
    first = post(user_api, body, HTTP_IDEMPOTENCY_KEY="order-17")
    again = post(user_api, body, HTTP_IDEMPOTENCY_KEY="order-17")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert Job.objects.count() == 2 and IdempotentRequest.objects.count() == 1
    assert IdempotentRequest.objects.get().job_ids == first.json()["job_ids"]


def test_key_order_in_the_body_does_not_make_it_a_different_body(user_api):
    task = sms_task()
    first = post(user_api, [task], HTTP_IDEMPOTENCY_KEY="k")
    reordered = dict(reversed(list(task.items())))
    assert post(user_api, [reordered], HTTP_IDEMPOTENCY_KEY="k").json() == first.json()


def test_same_idempotency_key_with_another_body_answers_409(user_api):
    post(user_api, [sms_task()], HTTP_IDEMPOTENCY_KEY="order-17")
    response = post(user_api, [email_task()], HTTP_IDEMPOTENCY_KEY="order-17")
    assert response.status_code == 409 and response.json()["code"] == 409
    assert Job.objects.count() == 1


def test_idempotency_keys_are_per_client(user_api, other_tenant):
    from tests.factories import UserFactory

    other_api = api_client_for(UserFactory(client=other_tenant, roles=["user"]))
    mine = post(user_api, [sms_task()], HTTP_IDEMPOTENCY_KEY="k").json()["job_ids"]
    theirs = post(other_api, [sms_task()], HTTP_IDEMPOTENCY_KEY="k").json()["job_ids"]
    assert mine != theirs and Job.objects.count() == 2


def test_a_rejected_body_stores_no_idempotency_record(user_api):
    bad = sms_task(data={"contact": "1", "countryCode": 91, "message": "x"})
    assert post(user_api, [bad], HTTP_IDEMPOTENCY_KEY="k").status_code == 400
    assert IdempotentRequest.objects.count() == 0
    assert post(user_api, [sms_task()], HTTP_IDEMPOTENCY_KEY="k").status_code == 200


def test_an_overlong_idempotency_key_is_refused(user_api):
    response = post(user_api, [sms_task()], HTTP_IDEMPOTENCY_KEY="k" * 256)
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["errors"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_create_one_set_of_jobs(tenant):
    from tests.factories import UserFactory

    user = UserFactory(client=tenant, roles=["user"])
    barrier, answers = threading.Barrier(4), []

    def send():
        try:
            api = api_client_for(user)
            barrier.wait()
            answers.append(post(api, [sms_task(), email_task()], HTTP_IDEMPOTENCY_KEY="race"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [200] * 4
    assert len({tuple(a.json()["job_ids"]) for a in answers}) == 1
    assert Job.objects.count() == 2 and IdempotentRequest.objects.count() == 1


def test_jobs_stored_while_redis_is_down_answer_200_not_500(
    admin_api, redis_down, django_capture_on_commit_callbacks
):
    """The dispatcher's kick after the commit cannot reach Redis: the jobs exist, so the
    answer says so (a 500 would make a client send them again); the next tick claims them."""
    task = {"task": 1, "task_type": 1, "data": {"contact": 9876543210, "countryCode": 91,
                                                 "message": "Your OTP is 1234"}}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post("/queue/", [task], format="json")
    assert response.status_code == 200, response.content
    [job_id] = response.json()["job_ids"]
    assert Job.objects.filter(uuid=job_id, status="scheduled").exists()
