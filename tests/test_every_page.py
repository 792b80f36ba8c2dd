"""tests/every_page.py lists every page: each named URL pattern has an entry, and each entry answers."""

import django_filters
import pytest
from django.test import Client

from tests.every_page import (
    ENTRIES,
    NOT_PAGES,
    admin_model_pattern_names,
    list_pages,
    make_samples,
    pages,
    url_patterns,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_every_named_url_pattern_has_an_entry_or_a_reason():
    covered = set(ENTRIES) | set(NOT_PAGES) | admin_model_pattern_names()
    missing = sorted(name for name, _, _ in url_patterns() if name and name not in covered)
    assert not missing, f"add these pages to ENTRIES (or NOT_PAGES) in tests/every_page.py: {missing}"
    stale = sorted((set(ENTRIES) | set(NOT_PAGES)) - {name for name, _, _ in url_patterns()})
    assert not stale, f"entries for URL patterns that no longer exist: {stale}"


def test_only_the_admin_has_unnamed_url_patterns():
    # An unnamed pattern cannot be listed by name; the admin's are redirects to named ones.
    unnamed = [route for name, namespace, route in url_patterns() if not name and namespace != "admin"]
    assert not unnamed, f"name these URL patterns so tests/every_page.py can list them: {unnamed}"


def test_every_filter_set_is_behind_a_listed_page():
    """A new list page's FilterSet is fuzzed only if its page is listed with it."""
    samples = make_samples()
    listed = {page.filterset for page in list_pages(samples)}

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = {
        cls
        for cls in subclasses(django_filters.FilterSet)
        if cls.__module__.split(".")[0] in {"tracker", "responses"}
    }
    assert ours, "no FilterSet found: the view modules were not imported"
    assert not ours - listed, f"list these FilterSets' pages in tests/every_page.py: {ours - listed}"


def test_page_ids_are_unique():
    samples = make_samples()
    ids = [page.id for page in pages(samples, content=None)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_every_page_answers_its_persona():
    samples = make_samples()
    failures = []
    clients = {}
    for page in pages(samples, content=None):
        client = clients.get(page.user)
        if client is None:
            client = clients[page.user] = Client()
            if page.user != "anonymous":
                client.force_login(samples.users[page.user])
        response = client.get(page.url)
        if response.status_code != page.status:
            failures.append(f"{page.id} {page.url} as {page.user}: {response.status_code}")
    assert not failures, "\n".join(failures)
