"""Joined fax PDFs (several documents of one fax, ``delivery/fax/…``) are deleted by an hourly
system task once no signed URL of them can be valid, and never before: Telnyx fetches the
document after the send call returned. Real filesystem storage in a temporary MEDIA_ROOT."""

import json
import os
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_celery_beat.models import PeriodicTask

from apps.core.beat import HeartbeatDatabaseScheduler
from apps.delivery.gateways.base import Message
from apps.delivery.gateways.fax.telnyx import TelnyxFaxGateway
from apps.delivery.services.media import (
    MERGED_FOLDER,
    MERGED_KEEP_MARGIN_SECONDS,
    MERGED_REUSE_SECONDS,
    media_token,
    media_token_valid,
    merged_pdfs_prune,
    stored_pdfs_merged,
)
from apps.delivery.tasks import fax_merged_prune_task
from apps.providers.models import Provider
from config.celery import app
from tests.content.builders import pdf_bytes

PUBLIC = "https://fusion.example"
HOUR = 1_800_000_000 - 1_800_000_000 % MERGED_REUSE_SECONDS  # the start of some hour
BEAT_ENTRY = "fax-merged-prune"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FUSION_PUBLIC_URL = PUBLIC
    settings.FUSION_MEDIA_URL_SECONDS = 24 * 3600
    return settings.MEDIA_ROOT


@pytest.fixture
def documents() -> list[str]:
    return [
        default_storage.save(f"content/7/documents/{n}.pdf", ContentFile(pdf_bytes(1)))
        for n in ("a", "b")
    ]


def stored(media_root) -> set[str]:
    return {str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()}


def url_expiry(now: float) -> int:
    """When a URL made at ``now`` expires (stored_file_public_url's rule)."""
    return int(now) + settings.FUSION_MEDIA_URL_SECONDS


def test_a_joined_pdf_outlives_every_url_made_of_it_then_goes(documents):
    """Made early in its hour, handed out again by a retry at the hour's last second: the
    file stays while that last URL is valid and goes after it (plus the margin)."""
    merged = stored_pdfs_merged(documents, now=HOUR + 5)
    assert merged.startswith(f"{MERGED_FOLDER}/{HOUR}-")
    last = HOUR + MERGED_REUSE_SECONDS - 1
    assert stored_pdfs_merged(documents, now=last) == merged  # the retry reuses it
    token = media_token(name=merged, expires=url_expiry(last))

    assert merged_pdfs_prune(now=url_expiry(last)) == 0  # the URL's last valid second
    assert media_token_valid(name=merged, token=token, now=url_expiry(last))
    assert default_storage.exists(merged)
    assert merged_pdfs_prune(now=url_expiry(last) + MERGED_KEEP_MARGIN_SECONDS) == 0
    assert default_storage.exists(merged)

    assert merged_pdfs_prune(now=url_expiry(last) + MERGED_KEEP_MARGIN_SECONDS + 2) == 1
    assert not default_storage.exists(merged)
    assert all(default_storage.exists(name) for name in documents)  # the originals stay


def test_no_file_goes_while_a_url_of_it_is_valid(documents):
    """The invariant, over merges and prunes at many moments of three hours and a day."""
    step = 600
    for made in range(HOUR, HOUR + 3 * MERGED_REUSE_SECONDS, step):
        merged = stored_pdfs_merged(documents, now=made)
        for later in range(made, url_expiry(made) + 1, 3 * step):
            merged_pdfs_prune(now=later)
            assert default_storage.exists(merged), (made, later)


def test_a_new_hour_joins_afresh_so_the_old_file_can_go(documents, media_root):
    first = stored_pdfs_merged(documents, now=HOUR)
    second = stored_pdfs_merged(documents, now=HOUR + MERGED_REUSE_SECONDS)
    assert first != second and default_storage.exists(first)
    with default_storage.open(second, "rb") as a, default_storage.open(first, "rb") as b:
        assert a.read() == b.read()
    when = url_expiry(HOUR + MERGED_REUSE_SECONDS) + MERGED_KEEP_MARGIN_SECONDS + 1
    assert merged_pdfs_prune(now=when) == 1
    assert stored(media_root) == {*documents, second}


def test_files_of_the_older_naming_go_by_their_modification_time(media_root):
    """``<hash>.pdf`` (before names carried the hour): kept while recently written."""
    old = default_storage.save(f"{MERGED_FOLDER}/{'a' * 32}.pdf", ContentFile(pdf_bytes(1)))
    recent = default_storage.save(f"{MERGED_FOLDER}/{'b' * 32}.pdf", ContentFile(pdf_bytes(1)))
    keep = settings.FUSION_MEDIA_URL_SECONDS + MERGED_KEEP_MARGIN_SECONDS
    written = time.time() - keep - 60
    os.utime(media_root / old, (written, written))
    assert merged_pdfs_prune() == 1
    assert stored(media_root) == {recent}


def test_nothing_joined_yet_or_a_single_document_is_left_alone(documents, media_root):
    assert merged_pdfs_prune(now=HOUR * 2) == 0  # no delivery/fax folder at all
    assert stored_pdfs_merged(documents[:1]) == documents[0]  # faxed as stored, not copied
    assert merged_pdfs_prune(now=HOUR * 2) == 0
    assert stored(media_root) == set(documents)


@pytest.mark.django_db
def test_a_faxed_joined_pdf_is_fetchable_until_pruned(
    documents, anon_api, httpserver, allow_local_http
):
    """Through the Telnyx gateway: the media_url Telnyx got serves the joined PDF, the hourly
    task leaves it, and once pruned the same URL answers 404."""
    queued = {"data": {"id": "fx-1", "status": "queued"}}
    httpserver.expect_request("/v2/faxes", method="POST").respond_with_json(queued, status=202)
    base = f"http://127.0.0.1:{httpserver.port}"
    provider = Provider(
        type="telnyx", password="KEY", settings={"base_url": base, "connection_id": "c-1"}
    )
    files = [{"name": name} for name in documents]
    payload = {"to": "+13127367276", "from": "+13125790015", "stored_files": files}
    message = Message(job_id="j1", channel="fax", payload=payload, idempotency_key="k1")
    TelnyxFaxGateway(provider).send(message)
    [(request, _)] = httpserver.log
    media_path = urlsplit(json.loads(request.data)["media_url"]).path
    merged = media_path.split("/", 4)[4]
    assert merged.startswith(f"{MERGED_FOLDER}/")

    assert anon_api.get(media_path).status_code == 200  # Telnyx fetches it, maybe later
    assert fax_merged_prune_task() == 0  # the task beat runs, now: too early
    assert anon_api.get(media_path).status_code == 200

    expires = int(media_path.split("/")[3].split("-")[0])
    gone = expires + MERGED_REUSE_SECONDS + MERGED_KEEP_MARGIN_SECONDS + 1
    assert merged_pdfs_prune(now=gone) == 1
    assert anon_api.get(media_path).status_code == 404
    assert all(default_storage.exists(name) for name in documents)


@pytest.mark.django_db
def test_beat_runs_the_prune_task_hourly_on_the_system_queue():
    entry = settings.CELERY_BEAT_SCHEDULE[BEAT_ENTRY]
    app.loader.import_default_modules()  # autodiscovery, as a worker does at start
    assert app.tasks[entry["task"]].run is fax_merged_prune_task.run
    assert entry["options"]["queue"] == "system" and entry["schedule"] == 3600.0
    assert app.conf.beat_schedule[BEAT_ENTRY] == entry
    HeartbeatDatabaseScheduler.Entry.from_entry(BEAT_ENTRY, app=app, **entry)
    row = PeriodicTask.objects.get(name=BEAT_ENTRY)
    assert row.task == entry["task"] and row.queue == "system" and row.enabled
