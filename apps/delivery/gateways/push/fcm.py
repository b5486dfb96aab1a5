"""Firebase Cloud Messaging, HTTP v1 API (channel ``push``, provider type ``fcm``).

The provider's ``password`` holds the Google service-account JSON. A JWT signed with its
private key is exchanged at its ``token_uri`` for an OAuth2 access token, which is cached until
shortly before it expires. Settings: ``base_url`` (default https://fcm.googleapis.com).
"""

import hashlib
import json
import time

import jwt
from django.core.cache import cache

from apps.delivery.gateways.base import DeliveryError, Gateway, Message, Outcome, error_for_status
from apps.delivery.gateways.registry import register

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
DEFAULT_BASE_URL = "https://fcm.googleapis.com"
ASSERTION_LIFETIME = 3600
EXPIRY_MARGIN = 300  # drop a cached token this long before Google does, so none is used stale
ACCOUNT_KEYS = ("project_id", "client_email", "private_key", "token_uri")
# FCM's errorCode (or the error's status when there is none) → reason; all fail for good.
PERMANENT = {
    "UNREGISTERED": "invalid_recipient",
    "INVALID_ARGUMENT": "provider_rejected",
    "SENDER_ID_MISMATCH": "provider_rejected",
}
TRANSIENT = {"QUOTA_EXCEEDED", "UNAVAILABLE", "INTERNAL"}


def bad_credentials(detail: str) -> DeliveryError:
    """A permanent error: the provider's service account cannot be used as it is."""
    return DeliveryError(f"fcm: {detail}", permanent=True, reason="bad_credentials")


def service_account(raw: str) -> dict:
    """The parsed service-account JSON, or a permanent ``bad_credentials`` error."""
    try:
        account = json.loads(raw or "")
    except ValueError:
        account = None
    if not isinstance(account, dict) or not all(account.get(k) for k in ACCOUNT_KEYS):
        raise bad_credentials(f"the password is not a service-account JSON with {ACCOUNT_KEYS}")
    return account


def fcm_message(payload: dict) -> dict:
    """The v1 ``message`` object: a token or a topic, the notification, string-only data."""
    if payload.get("token"):
        message = {"token": payload["token"]}
    elif payload.get("topic"):  # v1 wants the bare name; legacy callers send "/topics/x"
        message = {"topic": str(payload["topic"]).removeprefix("/topics/")}
    else:
        raise DeliveryError("fcm: no token or topic", permanent=True, reason="invalid_recipient")
    notification = {k: payload[k] for k in ("title", "body") if payload.get(k)}
    if notification:
        message["notification"] = notification
    if payload.get("data"):  # FCM rejects non-string values (INVALID_ARGUMENT)
        message["data"] = {str(k): str(v) for k, v in payload["data"].items()}
    return message


def answer_of(response) -> dict:
    """The response's JSON object; {} when the body is not JSON or not an object."""
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def error_code(answer: dict) -> str:
    """FCM's specific ``errorCode`` from the details, else the generic gRPC status."""
    error = answer.get("error") if isinstance(answer.get("error"), dict) else {}
    for detail in error.get("details") or []:
        if isinstance(detail, dict) and detail.get("errorCode"):
            return detail["errorCode"]
    return str(error.get("status") or "")


@register
class FcmGateway(Gateway):
    """Sends one message per call to ``/v1/projects/{project_id}/messages:send``."""

    channel = "push"
    type = "fcm"

    def send(self, message: Message) -> Outcome:
        """POST one message with a cached OAuth2 token; failures are mapped by ``error``."""
        account = service_account(getattr(self.provider, "password", ""))
        body = {"message": fcm_message(message.payload)}
        base_url = (self.settings.get("base_url") or DEFAULT_BASE_URL).rstrip("/")
        url = f"{base_url}/v1/projects/{account['project_id']}/messages:send"
        token = self.access_token(account)
        response = self.http("POST", url, json=body, headers={"Authorization": f"Bearer {token}"})
        answer = answer_of(response)
        if response.ok:
            return Outcome(
                provider_message_id=str(answer.get("name") or ""),
                response=answer,
                request={"url": url, "body": body},
            )
        raise self.error(response, answer, account)

    def error(self, response, answer: dict, account: dict) -> DeliveryError:
        """The DeliveryError of a failed send: FCM's permanent codes fail for good; a 401 drops
        the cached token and is retried, as are the transient codes; others go by HTTP status.
        """
        status, code = response.status_code, error_code(answer)
        summary = {"status": status, "body": answer or response.text[:1000]}
        if code in PERMANENT:
            return DeliveryError(
                f"fcm: {code}", permanent=True, reason=PERMANENT[code], response=summary
            )
        if status == 401 or code == "UNAUTHENTICATED":
            # Revoked or expired early: the next attempt must fetch a fresh token.
            cache.delete(self.cache_key(account))
            return DeliveryError(
                f"fcm: {code or 'HTTP 401'}",
                permanent=False,
                reason="unauthenticated",
                response=summary,
            )
        if code in TRANSIENT:
            return DeliveryError(
                f"fcm: {code}", permanent=False, reason="provider_unavailable", response=summary
            )
        return error_for_status(status, response.text)

    def cache_key(self, account: dict) -> str:
        """The cache key of this service account's access token."""
        # Hash of the whole credential: a rotated key gets its own token at once.
        digest = hashlib.sha256(json.dumps(account, sort_keys=True).encode()).hexdigest()
        return f"fusion:fcm:token:{digest[:32]}"

    def access_token(self, account: dict) -> str:
        """The cached OAuth2 token, else one exchanged for a signed JWT at ``token_uri`` and
        cached until shortly before it expires; a refused exchange is ``bad_credentials``.
        """
        key = self.cache_key(account)
        token = cache.get(key)
        if token:
            return token
        form = {"grant_type": GRANT_TYPE, "assertion": assertion(account)}
        response = self.http("POST", account["token_uri"], data=form)
        if not response.ok:  # 400 invalid_grant: wrong key or disabled account
            raise error_for_status(response.status_code, response.text, reason="bad_credentials")
        answer = answer_of(response)
        token = answer.get("access_token")
        if not token:
            raise DeliveryError("fcm: token answer without access_token", permanent=False)
        ttl = int(answer.get("expires_in") or ASSERTION_LIFETIME) - EXPIRY_MARGIN
        if ttl > 0:
            cache.set(key, token, ttl)
        return token


def assertion(account: dict) -> str:
    """The RS256 JWT Google's token endpoint exchanges for an access token."""
    now = int(time.time())
    claims = {
        "iss": account["client_email"],
        "scope": SCOPE,
        "aud": account["token_uri"],
        "iat": now,
        "exp": now + ASSERTION_LIFETIME,
    }
    headers = {"kid": account["private_key_id"]} if account.get("private_key_id") else None
    try:
        return jwt.encode(claims, account["private_key"], algorithm="RS256", headers=headers)
    except (ValueError, TypeError, jwt.PyJWTError) as exc:  # not a PEM RSA private key
        raise bad_credentials(f"cannot sign with the private key: {exc}") from exc
