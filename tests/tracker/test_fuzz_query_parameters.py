"""No query parameter makes a list page answer 5xx: random values (hypothesis) for every filter of every list
page's FilterSet and every other parameter the page reads, as listed in tests/every_page.py. A new list page
is covered by its entry there (with filterset= and params=)."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.every_page import list_pages, make_samples

pytestmark = pytest.mark.django_db

ANSWERS = {200, 400, 404}

# Values that broke pages before, and their relatives: out-of-range and odd numbers, dates that are not dates,
# text that is not what a field expects.
EDGE_VALUES = [
    "", " ", "-1", "0", "1", "10000", "99999", "9223372036854775807", "9223372036854775808",
    "-9223372036854775809", "99999999999999999999999999999", "1e309", "-1e309", "1e5", "NaN", "inf", "-0",
    "0x1F", "1_000", "１２", "٣", "2024.5", "2024.0", "2025-02-30", "0000-01-01", "0001-01-01",
    "9999-12-31", "10000-01-01", "2025-W08", "2025-W99", "0-W00", "abc", "\x00", "a\x00b", "%00", "' OR 1=1 --",
    "../../etc/passwd", "<script>", "🙂", "a" * 3000, "-", "--", "?", "&", "=", "+",
]  # fmt: skip

values = st.one_of(
    st.sampled_from(EDGE_VALUES),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(str),
)


def parameter_names(page):
    names = list(page.params)
    if page.filterset:
        for name, filter_ in page.filterset.base_filters.items():
            widget = filter_.field_class.widget
            suffixes = getattr(widget, "suffixes", None)  # range filters read name_min, name_max ...
            names += [f"{name}_{suffix}" if suffix else name for suffix in suffixes] if suffixes else [name]
    return names


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def samples():
    return make_samples()


def test_every_list_page_has_parameters_to_fuzz(samples):
    listed = {page.name for page in list_pages(samples)}
    assert {"report_list", "commitment_list", "commitment_export", "digest_preview"} <= listed
    for page in list_pages(samples):
        assert parameter_names(page), page.id


def _client(samples, persona):
    client = Client()
    if persona != "anonymous":
        client.force_login(samples.users[persona])
    return client


def _check(client, url, query):
    response = client.get(f"{url}?{urlencode(query, doseq=True)}")
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)  # a CSV fails while it streams, not before
    assert response.status_code in ANSWERS, (
        f"{url}?{urlencode(query, doseq=True)} answered {response.status_code}"
    )


@pytest.mark.parametrize("index", range(4))
def test_random_values_for_every_parameter_never_answer_5xx(samples, index):
    pages = list_pages(samples)
    if index >= len(pages):
        pytest.skip("fewer list pages")
    page = pages[index]
    names = parameter_names(page)
    client = _client(samples, page.user)
    url = page.url.split("?")[0]

    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        query=st.dictionaries(st.sampled_from(names), st.lists(values, min_size=1, max_size=2), min_size=1)
    )
    def check(query):
        _check(client, url, query)

    check()


@pytest.mark.parametrize(
    "name, query",
    [
        ("report_list", {"year": "-1"}),
        ("report_list", {"year": "0"}),
        ("report_list", {"year": "10000"}),
        ("report_list", {"year": "99999999999999999999999999999"}),
        ("report_list", {"q": "inquiry", "page": "99999999999999999999"}),
        ("commitment_list", {"letter": "99999999999999999999999999999"}),
        ("digest_preview", {"subscription": "abc"}),
        ("digest_preview", {"subscription": "99999999999999999999999999999"}),
    ],
)
def test_the_values_that_answered_500_before(samples, name, query):
    [page] = [p for p in list_pages(samples) if p.name == name and not p.label]
    _check(_client(samples, page.user), page.url, query)
