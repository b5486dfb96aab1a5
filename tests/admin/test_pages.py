"""Every back-office page opens with rows in it, for global and for a client's staff: the
list, a search, every choice of every filter, each row's page and the add page — and none
of them shows a password or a webhook secret."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

MODELS = [m for m in admin.site._registry if m.__module__.startswith("apps.")]


def _ids(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _open(browser, url: str, secrets: list[str], allowed=(200,)) -> str:
    response = browser.get(url)
    assert response.status_code in allowed, f"{url}: {response.status_code}"
    html = response.content.decode()
    leaked = [secret for secret in secrets if secret in html]
    assert not leaked, f"{url} shows a secret"
    return html


def _walk(browser, model, secrets: list[str]) -> int:
    """Open the list, a search, every filter choice and up to three rows; rows listed."""
    changelist = _url(model, "changelist")
    response = browser.get(changelist)
    assert response.status_code == 200
    _open(browser, changelist, secrets)
    _open(browser, changelist + "?q=nothing-like-it", secrets)
    changelist_view = response.context["cl"]
    for spec in changelist_view.filter_specs:
        for choice in spec.choices(changelist_view):
            _open(browser, changelist + choice["query_string"], secrets)
    rows = list(changelist_view.result_list[:3])
    for row in rows:
        _open(browser, _url(model, "change", row.pk), secrets)
        _open(browser, _url(model, "history", row.pk), secrets)
    _open(browser, _url(model, "add"), secrets, allowed=(200, 403))
    return len(changelist_view.result_list)


@pytest.mark.parametrize("model", MODELS, ids=_ids)
def test_global_staff_open_every_page_and_see_no_secret(staff, world, model):
    assert _walk(staff, model, world.secrets) >= 1, "the fixture should give every list a row"


@pytest.mark.parametrize("model", MODELS, ids=_ids)
def test_client_staff_open_every_page_and_see_no_secret(tenant_staff, world, model):
    _walk(tenant_staff, model, world.secrets)


def test_every_admin_class_says_what_its_page_offers():
    missing = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if type(model_admin).__module__.startswith("apps.") and not type(model_admin).__doc__
    ]
    inlines = {
        inline.__name__
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
        if inline.__module__.startswith("apps.") and not inline.__doc__
    }
    assert missing == [] and inlines == set()
