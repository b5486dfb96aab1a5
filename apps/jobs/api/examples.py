"""OpenAPI examples for the Queue face, taken from fusion-queue-api.txt."""

from drf_spectacular.utils import OpenApiExample

JOB_ID = "3f2b8a3e-9c1d-4b7e-8f2a-6d5c4b3a2f10"
JOB_ID_2 = "7a1c2d3e-4f50-4a6b-9c8d-0e1f2a3b4c5d"

SMS_TASK = {
    "task": 1,
    "task_type": 1,
    "data": {
        "contact": 9876543210,
        "message": "Hello World",
        "countryCode": 91,
        "senderId": "CRELIO",
    },
    "log_tag": "SMS_OTP",
    "headers": {},
    "subscribe": "https://callback.url/notify",
    "failed_task_handler": "https://callback.url/failed",
    "success_task_handler": "https://callback.url/success",
    "override_priority": 2,
}
EMAIL_TASK = {
    "task": 2,
    "task_type": 1,
    "data": {
        "to": ["user@example.com"],
        "cc": [],
        "bcc": [],
        "subject": "Email Subject",
        "message": "<html>Email body</html>",
        "sender_name": "CrelioHealth",
        "sender_email": "no-reply@creliohealth.com",
        "files": ["https://s3.amazonaws.com/bucket/file.pdf"],
    },
}
WEBHOOK_TASK = {
    "task": 4,
    "task_type": 2,
    "data": {
        "url": "https://api.example.com/endpoint",
        "args": {"key": "value"},
        "isBody": 1,
        "timeout": 15,
        "callback": 1,
        "callback_url": "https://callback.url",
        "headers": {"Authorization": "Bearer token"},
    },
}
WHATSAPP_TASK = {
    "task": 6,
    "task_type": 2,
    "data": {
        "contact": "9876543210",
        "countryCode": "91",
        "message": "Your bill",
        "file": "https://s3.amazonaws.com/bucket/bill.pdf",
        "cache_key": "patient-42",
    },
}
JOB_IDS = {"code": 200, "job_ids": [JOB_ID, JOB_ID_2]}
INVALID = {"code": 400, "errors": {"0.data.contact": ["12 is not a valid phone number."]}}

QUEUE_EXAMPLES = [
    OpenApiExample("SMS OTP", value=[SMS_TASK], request_only=True),
    OpenApiExample("Email and webhook", value=[EMAIL_TASK, WEBHOOK_TASK], request_only=True),
    OpenApiExample("WhatsApp with a file", value=[WHATSAPP_TASK], request_only=True),
    OpenApiExample("Accepted", value=JOB_IDS, response_only=True, status_codes=["200"]),
    OpenApiExample("Invalid", value=INVALID, response_only=True, status_codes=["400"]),
]
SCHEDULE_EXAMPLES = [
    OpenApiExample(
        "Scheduled SMS",
        value=[
            {
                "sch_time": "2024-01-15T10:30:00",
                "task": 1,
                "task_type": 2,
                "data": {"contact": 9876543210, "countryCode": 91, "message": "Open the app"},
                "subscribe": "https://callback.url/notify",
                "headers": {},
            }
        ],
        request_only=True,
    ),
    OpenApiExample(
        "Window consolidation",
        value=[
            {
                "sch_time": "2024-01-15T10:30:00+05:30",
                "task": 2,
                "task_type": 2,
                "data": EMAIL_TASK["data"],
                "window_delay": "billing-report-patient-42",
                "override_window": 1,
            }
        ],
        request_only=True,
    ),
    OpenApiExample("Scheduled", value={"code": 200, "job_ids": [JOB_ID]}, response_only=True),
]
JOB_INFO_EXAMPLES = [
    OpenApiExample("Request", value={"id": JOB_ID}, request_only=True),
    OpenApiExample(
        "A job that succeeded",
        value={
            "code": 200,
            "job": {
                "id": JOB_ID,
                "status": "succeeded",
                "channel": "sms",
                "task": 1,
                "task_type": 1,
                "priority": 2,
                "run_at": "2024-01-15T10:30:00",
                "attempts_made": 1,
                "attempts_allowed": 1,
                "attempts": [
                    {
                        "number": 1,
                        "provider": "msg91",
                        "outcome": "succeeded",
                        "started_at": "2024-01-15T10:30:01",
                        "ended_at": "2024-01-15T10:30:02",
                        "provider_message_id": "3763646c3058343337373631",
                        "error": "",
                        "reason": "",
                    }
                ],
                "result": {"provider_message_id": "3763646c3058343337373631", "delivered": False},
                "error": "",
                "reason": "",
                "log_tag": "SMS_OTP",
                "window_hits": 0,
                "created_at": "2024-01-15T10:29:58",
                "queued_at": "2024-01-15T10:30:00",
                "started_at": "2024-01-15T10:30:01",
                "finished_at": "2024-01-15T10:30:02",
            },
        },
        response_only=True,
        status_codes=["200"],
    ),
    OpenApiExample(
        "Not found",
        value={"code": 401, "message": "Job not found"},
        response_only=True,
        status_codes=["404"],
    ),
]
CANCEL_EXAMPLES = [
    OpenApiExample("Request", value={"job_id": [JOB_ID, JOB_ID_2]}, request_only=True),
    OpenApiExample("All cancelled", value={"code": 200}, response_only=True),
    OpenApiExample(
        "Some not cancelled (missing, running or finished)",
        value={"code": 401, "job_ids": [JOB_ID_2]},
        response_only=True,
    ),
]
RESCHEDULE_EXAMPLES = [
    OpenApiExample(
        "Request", value={"job_id": JOB_ID, "resc_at": "2024-01-16T14:00:00"}, request_only=True
    ),
    OpenApiExample("Rescheduled", value={"code": 200}, response_only=True, status_codes=["200"]),
    OpenApiExample(
        "Already executed",
        value={"code": 401, "message": "Job can no longer be rescheduled: it is succeeded."},
        response_only=True,
        status_codes=["200"],
    ),
]
RETRY_EXAMPLES = [
    OpenApiExample("Request", value=[{"job_id": JOB_ID}, {"job_id": JOB_ID_2}], request_only=True),
    OpenApiExample(
        "Answer",
        value={"code": 200, "job_ids": [JOB_ID], "not_retried": [JOB_ID_2]},
        response_only=True,
    ),
]
MAPPING_EXAMPLES = [
    OpenApiExample(
        "Request",
        value=[
            {"keyword": "term1", "data": {"label": "Haemoglobin"}},
            {"keyword": "term2", "data": {"label": "Platelets"}},
        ],
        request_only=True,
    ),
    OpenApiExample(
        "Stored",
        value={"code": 200, "job_ids": [], "keywords": ["term1", "term2"]},
        response_only=True,
    ),
]
CONSENT_EXAMPLES = [
    OpenApiExample(
        "Opt out",
        value={
            "type": "opt_out",
            "cache_key": "patient-42",
            "details_obj": {"source": "reply STOP"},
        },
        request_only=True,
    ),
    OpenApiExample(
        "Recorded",
        value={"code": 200, "cache_key": "patient-42", "state": "opted_out"},
        response_only=True,
    ),
]
