"""Video room providers: who makes a member's join link, chosen by FUSION_VIDEO_ROOM_PROVIDER.

- ``template`` (default): ``FUSION_VIDEO_JOIN_URL`` filled with the member's stored token; the
  video service behind the URL resolves the token.
- ``jitsi``: a Jitsi Meet room per case with JWT authentication (Prosody ``mod_auth_token``):
  the link carries an HS256 token signed with the app secret, valid only for the case's room
  and only in a window around ``task_time``.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

import jwt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from apps.cases.models import Case, CaseMember

TEMPLATE, JITSI = "template", "jitsi"
PROVIDERS = (TEMPLATE, JITSI)
DEFAULT_JOIN_URL = "https://video.example.invalid/join/{token}"
JITSI_REQUIRED = ("FUSION_JITSI_DOMAIN", "FUSION_JITSI_APP_ID", "FUSION_JITSI_APP_SECRET")


class RoomProvider(Protocol):
    """Makes the join link of one member of a case."""

    def join_url(self, case: Case, member: CaseMember) -> str: ...


class TemplateRoomProvider:
    """Join links from a URL template with ``{token}`` (required), ``{task_num}``, ``{role}``."""

    def __init__(self, template: str = "") -> None:
        # The system check refuses a template without {token}; never hand out bare links.
        self.template = template if "{token}" in (template or "") else DEFAULT_JOIN_URL

    def join_url(self, case: Case, member: CaseMember) -> str:
        """The template with the member's token; other braces are left as they are."""
        return (
            self.template.replace("{token}", member.join_token)
            .replace("{task_num}", case.task_num)
            .replace("{role}", member.role)
        )


@dataclass(frozen=True)
class JitsiRoomProvider:
    """Jitsi Meet rooms behind token authentication: ``https://{domain}/{room}?jwt={token}``.

    The token's claims are those Prosody's ``mod_auth_token`` checks (``iss`` = app id,
    ``aud``, ``sub`` = domain, ``room``, ``nbf``/``exp``) plus the display ``context.user``
    and the moderator flag. Tokens are not stored: each link is signed when it is asked for.
    """

    domain: str
    app_id: str
    app_secret: str
    audience: str = "jitsi"
    minutes_before: int = 60
    minutes_after: int = 120

    @classmethod
    def from_settings(cls) -> "JitsiRoomProvider":
        """The provider configured by the FUSION_JITSI_* settings (ImproperlyConfigured when
        the domain, app id or secret is missing)."""
        missing = jitsi_settings_missing()
        if missing:
            raise ImproperlyConfigured(
                f"FUSION_VIDEO_ROOM_PROVIDER is 'jitsi' but {', '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not set."
            )
        return cls(
            domain=settings.FUSION_JITSI_DOMAIN.strip().lower(),
            app_id=settings.FUSION_JITSI_APP_ID,
            app_secret=settings.FUSION_JITSI_APP_SECRET,
            audience=getattr(settings, "FUSION_JITSI_AUDIENCE", "") or "jitsi",
            minutes_before=getattr(settings, "FUSION_JITSI_MINUTES_BEFORE", 60),
            minutes_after=getattr(settings, "FUSION_JITSI_MINUTES_AFTER", 120),
        )

    def room_name(self, case: Case) -> str:
        """One room per case, named after its task number (unique across clients)."""
        return f"case-{case.task_num}"

    def window(self, case: Case, now: dt.datetime | None = None) -> tuple[int, int]:
        """(nbf, exp) in unix seconds: around ``task_time`` for scheduled rooms, from now for
        realtime rooms (their ``task_time`` is only when the case was opened)."""
        now = now or timezone.now()
        if case.room_type == Case.RoomType.REALTIME:
            start = end = now
        else:
            start = case.task_time - dt.timedelta(minutes=self.minutes_before)
            end = case.task_time
        end += dt.timedelta(minutes=self.minutes_after)
        return int(start.timestamp()), int(end.timestamp())

    def claims(self, case: Case, member: CaseMember, now: dt.datetime | None = None) -> dict:
        """The token's payload for ``member`` of ``case``."""
        nbf, exp = self.window(case, now)
        moderator = member.role == CaseMember.Role.MODERATOR
        user = {
            "id": str(member.pk),
            "name": " ".join(part for part in (member.title, member.name) if part),
            "email": member.email,
            # JaaS-style deployments read the flag here, as a string (Prosody refuses
            # non-string values inside context.user).
            "moderator": "true" if moderator else "false",
        }
        return {
            "iss": self.app_id,
            "aud": self.audience,
            "sub": self.domain,
            "room": self.room_name(case),
            "nbf": nbf,
            "exp": exp,
            "context": {"user": user},
            "moderator": moderator,  # read by token moderation plugins
        }

    def join_url(self, case: Case, member: CaseMember) -> str:
        """The room's URL with a freshly signed token."""
        token = jwt.encode(self.claims(case, member), self.app_secret, algorithm="HS256")
        return f"https://{self.domain}/{self.room_name(case)}?jwt={token}"


def room_provider_name() -> str:
    """The configured provider's name (FUSION_VIDEO_ROOM_PROVIDER, default ``template``)."""
    return (getattr(settings, "FUSION_VIDEO_ROOM_PROVIDER", "") or TEMPLATE).strip().lower()


def jitsi_settings_missing() -> list[str]:
    """The Jitsi settings that are required but empty."""
    return [name for name in JITSI_REQUIRED if not str(getattr(settings, name, "") or "").strip()]


def room_provider() -> RoomProvider:
    """The configured room provider (ImproperlyConfigured for an unknown name or an
    incomplete Jitsi configuration; the system checks report both at start-up)."""
    name = room_provider_name()
    if name == TEMPLATE:
        return TemplateRoomProvider(getattr(settings, "FUSION_VIDEO_JOIN_URL", ""))
    if name == JITSI:
        return JitsiRoomProvider.from_settings()
    raise ImproperlyConfigured(
        f"FUSION_VIDEO_ROOM_PROVIDER must be one of {', '.join(PROVIDERS)}, not {name!r}."
    )
