"""Room providers: template links (the default) and Jitsi Meet links with a signed JWT."""

import datetime as dt
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.cases import checks
from apps.cases.links import join_url_of
from apps.cases.models import CaseMember
from tests.cases.conftest import CUSTOMER, case_create

pytestmark = pytest.mark.django_db

SECRET = "a-test-secret-of-at-least-thirty-two-bytes"
EMAIL_ONLY = {"customer_name": "Wu", "customer_id_num": "E1", "customer_email": "wu@example.com"}


@pytest.fixture
def jitsi(settings):
    """Jitsi rooms on meet.example.com with a shared secret."""
    settings.FUSION_VIDEO_ROOM_PROVIDER = "jitsi"
    settings.FUSION_JITSI_DOMAIN = "meet.example.com"
    settings.FUSION_JITSI_APP_ID = "fusion-app"
    settings.FUSION_JITSI_APP_SECRET = SECRET
    settings.FUSION_JITSI_AUDIENCE = "jitsi"
    settings.FUSION_JITSI_MINUTES_BEFORE = 15
    settings.FUSION_JITSI_MINUTES_AFTER = 90
    return settings


def _members(api, task_num: str) -> dict:
    """Add the caller as moderator and two customers; their join links by role/id."""
    moderator = api.post("/video/createTaskModerator", {"task_num": task_num}, format="json")
    body = {"task_num": task_num, "customer": [CUSTOMER, EMAIL_ONLY]}
    customers = api.post("/video/createTaskPublisher", body, format="json").json()["info"]
    links = {c["customer_id_num"]: c["join_url"] for c in customers["customers"]}
    return {"moderator": moderator.json()["info"]["join_url"], **links}


def _token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["jwt"][0]


def _claims(url: str, secret: str = SECRET, audience: str = "jitsi") -> dict:
    """The verified claims of a link's token (the window is checked by the tests)."""
    options = {"verify_nbf": False, "verify_exp": False}
    return jwt.decode(
        _token_of(url), secret, algorithms=["HS256"], audience=audience, options=options
    )


def test_the_template_provider_is_the_default_and_fills_the_token(worker_api):
    task_num = case_create(worker_api)
    links = _members(worker_api, task_num)
    member = CaseMember.objects.get(id_num=CUSTOMER["customer_id_num"])
    assert links[member.id_num] == f"https://video.example.invalid/join/{member.join_token}"


def test_a_template_may_name_the_case_and_the_role(worker_api, settings):
    settings.FUSION_VIDEO_JOIN_URL = "https://v.example.com/{task_num}/{role}?t={token}&x={y}"
    task_num = case_create(worker_api)
    links = _members(worker_api, task_num)
    moderator = CaseMember.objects.get(role="moderator")
    assert links["moderator"] == (
        f"https://v.example.com/{task_num}/moderator?t={moderator.join_token}&x={{y}}"
    )


def test_a_jitsi_link_opens_the_case_room_on_the_domain_with_a_signed_token(jitsi, worker_api):
    task_num = case_create(worker_api, task_time=str(int(time.time()) + 7200))
    links = _members(worker_api, task_num)
    for url in links.values():
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc, parts.path) == (
            "https",
            "meet.example.com",
            f"/case-{task_num}",
        )
        assert jwt.get_unverified_header(_token_of(url))["alg"] == "HS256"
        with pytest.raises(jwt.InvalidSignatureError):
            _claims(url, secret="another-secret-of-at-least-thirty-two-bytes")


def test_a_jitsi_token_has_the_claims_prosody_checks_and_the_window(jitsi, worker_api):
    start = int(time.time()) + 7200
    task_num = case_create(worker_api, task_time=str(start))
    links = _members(worker_api, task_num)
    moderator = CaseMember.objects.get(role="moderator")
    chen = CaseMember.objects.get(id_num=CUSTOMER["customer_id_num"])
    assert _claims(links["moderator"]) == {
        "iss": "fusion-app",
        "aud": "jitsi",
        "sub": "meet.example.com",
        "room": f"case-{task_num}",
        "nbf": start - 15 * 60,
        "exp": start + 90 * 60,
        "context": {
            "user": {
                "id": str(moderator.pk),
                "name": "Ana Agent",
                "email": moderator.email,
                "moderator": "true",
            }
        },
        "moderator": True,
    }
    customer = _claims(links[chen.id_num])
    assert customer["context"]["user"] == {
        "id": str(chen.pk),
        "name": "Mr. Chen",
        "email": "chen@example.com",
        "moderator": "false",
    }
    assert customer["moderator"] is False and customer["room"] == f"case-{task_num}"


def test_a_jitsi_token_is_refused_outside_its_window(jitsi, worker_api):
    task_num = case_create(worker_api, task_time=str(int(time.time()) + 7200))
    url = _members(worker_api, task_num)["moderator"]
    with pytest.raises(jwt.ImmatureSignatureError):  # 2 h ahead, valid from 15 min before
        jwt.decode(_token_of(url), SECRET, algorithms=["HS256"], audience="jitsi")
    past = case_create(worker_api, out_task_num="OUT-2", task_time=str(int(time.time()) - 7200))
    url = _members(worker_api, past)["moderator"]
    with pytest.raises(jwt.ExpiredSignatureError):  # ended 30 min ago
        jwt.decode(_token_of(url), SECRET, algorithms=["HS256"], audience="jitsi")


def test_a_realtime_room_token_is_valid_from_now(jitsi, worker_api):
    before = int(time.time())
    task_num = case_create(worker_api, room_type="realtime", task_time=str(before - 86400))
    url = _members(worker_api, task_num)["moderator"]
    after = int(time.time())
    claims = jwt.decode(_token_of(url), SECRET, algorithms=["HS256"], audience="jitsi")
    assert before <= claims["nbf"] <= after
    assert claims["exp"] == claims["nbf"] + 90 * 60


def test_the_audience_is_configurable(jitsi, worker_api):
    jitsi.FUSION_JITSI_AUDIENCE = "meet-fusion"
    task_num = case_create(worker_api, task_time=str(int(time.time()) + 600))
    url = _members(worker_api, task_num)["moderator"]
    assert _claims(url, audience="meet-fusion")["aud"] == "meet-fusion"
    with pytest.raises(jwt.InvalidAudienceError):
        _claims(url, audience="jitsi")


def test_get_task_and_redeemed_codes_answer_jitsi_links(jitsi, worker_api):
    task_num = case_create(worker_api, task_time=str(int(time.time()) + 600))
    _members(worker_api, task_num)
    info = worker_api.get("/video/getTask", {"task_num": task_num}).json()["info"]
    urls = [m["join_url"] for m in info["moderators"] + info["customers"]]
    assert len(urls) == 3
    assert all(url.startswith(f"https://meet.example.com/case-{task_num}?jwt=") for url in urls)
    assert {_claims(url)["context"]["user"]["moderator"] for url in urls} == {"true", "false"}


@pytest.mark.parametrize("missing", ["FUSION_JITSI_DOMAIN", "FUSION_JITSI_APP_ID",
                                     "FUSION_JITSI_APP_SECRET"])  # fmt: skip
def test_jitsi_without_its_settings_is_a_clear_error(jitsi, worker_api, missing):
    task_num = case_create(worker_api)
    worker_api.post("/video/createTaskModerator", {"task_num": task_num}, format="json")
    setattr(jitsi, missing, "")
    member = CaseMember.objects.get()
    with pytest.raises(ImproperlyConfigured, match=f"'jitsi' but {missing} is not set"):
        join_url_of(member)
    errors = checks.room_provider_configured()
    assert [(e.id, missing in e.msg) for e in errors] == [("cases.E003", True)]


def test_the_system_checks_accept_a_complete_setup_and_refuse_bad_ones(jitsi):
    assert checks.room_provider_configured() == []
    jitsi.FUSION_JITSI_APP_SECRET = jitsi.FUSION_JITSI_APP_ID = ""
    assert [e.id for e in checks.room_provider_configured()] == ["cases.E003", "cases.E003"]
    jitsi.FUSION_VIDEO_ROOM_PROVIDER = "zoom"
    assert [e.id for e in checks.room_provider_configured()] == ["cases.E002"]
    jitsi.FUSION_VIDEO_ROOM_PROVIDER = "template"
    jitsi.FUSION_VIDEO_JOIN_URL = "https://video.example.com/join"
    assert [e.id for e in checks.room_provider_configured()] == ["cases.E001"]


def test_an_unknown_provider_is_a_clear_error(worker_api, settings):
    task_num = case_create(worker_api)
    worker_api.post("/video/createTaskModerator", {"task_num": task_num}, format="json")
    settings.FUSION_VIDEO_ROOM_PROVIDER = "zoom"
    with pytest.raises(ImproperlyConfigured, match="one of template, jitsi, not 'zoom'"):
        join_url_of(CaseMember.objects.get())


def test_the_window_follows_task_time_to_the_second(jitsi, worker_api):
    start = dt.datetime(2031, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    task_num = case_create(worker_api, task_time=str(int(start.timestamp())))
    claims = _claims(_members(worker_api, task_num)["moderator"])
    assert dt.datetime.fromtimestamp(claims["nbf"], dt.UTC) == start - dt.timedelta(minutes=15)
    assert dt.datetime.fromtimestamp(claims["exp"], dt.UTC) == start + dt.timedelta(minutes=90)
