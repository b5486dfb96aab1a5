"""OpenAPI examples of the Video cases face, taken from video-cases-api.txt."""

from drf_spectacular.utils import OpenApiExample

TASK_NUM = "202312210000001"
JOIN_URL = "https://video.example.invalid/join/3q2-7wEvRk9xYhQj0uT1bL5cZs8aNd4f"

_NOT_FOUND = {"status": 0, "message": "Resource Not Found", "info": {}}
_FORBIDDEN = {"status": 0, "message": "Access to the requested resource is not allowed", "info": {}}


def _ok(name: str, value: dict) -> OpenApiExample:
    return OpenApiExample(name, value=value, response_only=True, status_codes=["200"])


def _error(name: str, value: dict, code: str) -> OpenApiExample:
    return OpenApiExample(name, value=value, response_only=True, status_codes=[code])


NOT_FOUND = _error("Not found", _NOT_FOUND, "404")
FORBIDDEN = _error("Forbidden", _FORBIDDEN, "403")

CREATE_BLANK_TASK = [
    OpenApiExample(
        "Scheduled room",
        value={
            "business_id": 15,
            "out_task_num": "XXXXXXXXX",
            "out_task_type": "XXXXXXXXX",
            "task_type": "normal",
            "task_notify": False,
            "task_time": "1703141398",
            "task_remark": "remark_somthing",
            "branch_code": 943,
            "business_code": 2,
            "room_type": "normal",
            "video": True,
        },
        request_only=True,
    ),
    _ok("Created", {"status": 1, "message": "success", "info": {"task_num": TASK_NUM}}),
    _error(
        "Duplicate out_task_num",
        {
            "status": 0,
            "message": "out_task_num: A case with this out_task_num already exists for this "
            "business_id.",
            "info": {
                "errors": {
                    "out_task_num": [
                        "A case with this out_task_num already exists for this business_id."
                    ]
                }
            },
        },
        "400",
    ),
    FORBIDDEN,
]

CREATE_TASK_MODERATOR = [
    OpenApiExample(
        "Moderator",
        value={
            "task_num": "202402220000021",
            "business_code": "2",
            "branch_code": "85",
            "emp_id": "17",
        },
        request_only=True,
    ),
    _ok(
        "Added",
        {
            "status": 1,
            "message": "service member success",
            "info": {"task_num": "202402220000021", "emp_id": "17", "join_url": JOIN_URL},
        },
    ),
    NOT_FOUND,
    FORBIDDEN,
]

CREATE_TASK_PUBLISHER = [
    OpenApiExample(
        "Customer",
        value={
            "task_num": "202402220000021",
            "customer": [
                {
                    "customer_title": "Mr.",
                    "customer_name": "name",
                    "customer_id_num": "unique_id",
                    "customer_country_code": "+886",
                    "customer_phone": "0911211211",
                    "customer_email": "customer@example.com",
                }
            ],
        },
        request_only=True,
    ),
    _ok(
        "Added",
        {
            "status": 1,
            "message": "customer member success",
            "info": {
                "task_num": "202402220000021",
                "customers": [
                    {
                        "customer_id_num": "unique_id",
                        "join_url": JOIN_URL,
                        "added": True,
                        "notified": True,
                    }
                ],
            },
        },
    ),
    NOT_FOUND,
    FORBIDDEN,
]

UPDATE_TASK_STATUS = [
    OpenApiExample(
        "Finish",
        value={"task_num": "202406060000001", "task_status": "finished"},
        request_only=True,
    ),
    _ok(
        "Updated",
        {
            "status": 1,
            "message": "success",
            "info": {"task_num": "202406060000001", "task_status": "finished"},
        },
    ),
    NOT_FOUND,
    FORBIDDEN,
]

GET_AUTH_CODE = [
    OpenApiExample("For a user", value={"user_id": "17"}, request_only=True),
    _ok(
        "Issued",
        {
            "status": 1,
            "message": "success",
            "info": {
                "user_id": 17,
                "emp_id": "17",
                "auth_code": "Zb0sV1kq3JtYc2x8N9mR4wQe7uHa6LdP",
                "expires_at": "1703141998",
                "expires_in": 600,
            },
        },
    ),
    FORBIDDEN,
]

REDEEM_AUTH_CODE = [
    OpenApiExample(
        "Redeem",
        value={"code": "Zb0sV1kq3JtYc2x8N9mR4wQe7uHa6LdP", "task_num": TASK_NUM},
        request_only=True,
    ),
    _ok(
        "Redeemed",
        {
            "status": 1,
            "message": "success",
            "info": {
                "user_id": 17,
                "emp_id": "17",
                "username": "agent17",
                "name": "Ana Agent",
                "cases": [
                    {
                        "task_num": TASK_NUM,
                        "task_time": "1703141398",
                        "room_type": "normal",
                        "join_url": JOIN_URL,
                    }
                ],
            },
        },
    ),
]

GET_TASK = [
    _ok(
        "Case",
        {
            "status": 1,
            "message": "success",
            "info": {
                "task_num": TASK_NUM,
                "business_id": 15,
                "out_task_num": "XXXXXXXXX",
                "out_task_type": "XXXXXXXXX",
                "task_type": "normal",
                "task_notify": False,
                "task_time": "1703141398",
                "task_remark": "remark_somthing",
                "branch_code": "943",
                "business_code": "2",
                "room_type": "normal",
                "video": True,
                "task_status": "open",
                "created_by": "agent17",
                "created_at": "1703141000",
                "updated_at": "1703141000",
                "moderators": [],
                "customers": [],
            },
        },
    ),
    NOT_FOUND,
]
