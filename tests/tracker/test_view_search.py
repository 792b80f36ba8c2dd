"""/search/: reports, recommendations, commitments and letters, by PostgreSQL full text (the suite's database)
and by the quick start's word match (tracker.search.terms, and the SQLite branch run on PostgreSQL)."""

import pytest
from django.db import connection

from tests.factories import (
    CommitmentFactory,
    RecommendationFactory,
    ReportFactory,
    ResponseLetterFactory,
)
from tracker import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    report = ReportFactory(title="Review of maternity services in Shrewsbury", slug="maternity")
    recommendation = RecommendationFactory(
        report=report, text="Trusts must review staffing of midwives yearly."
    )
    letter = ResponseLetterFactory(
        text="We accept the recommendations and are reviewing midwifery staffing now."
    )
    letter.reports.add(report)
    commitment = CommitmentFactory(
        letter=letter, text="We will publish a review of midwifery staffing by 2026."
    )
    draft = ResponseLetterFactory(review_state="draft", text="A draft about midwifery that nobody confirmed.")
    CommitmentFactory(letter=draft, text="A draft promise about midwifery.")
    return {"report": report, "recommendation": recommendation, "letter": letter, "commitment": commitment}


def groups(response):
    return {
        group["kind"].key: ([row.pk for row in group["rows"]], group["total"])
        for group in response.context["groups"]
    }


def test_one_search_finds_each_kind_with_stemming(client, records):
    response = client.get("/search/?q=reviews")  # stemmed: finds "review" and "reviewing"
    assert response.status_code == 200
    found = groups(response)
    assert found["reports"] == ([records["report"].pk], 1)
    assert found["recommendations"] == ([records["recommendation"].pk], 1)
    assert found["commitments"] == ([records["commitment"].pk], 1)
    assert found["letters"] == ([records["letter"].pk], 1)
    html = response.content.decode()
    assert "<mark>reviewing</mark>" in html  # the letter's passage, with the match marked
    assert f'href="/reports/maternity/#recommendation-{records["recommendation"].pk}"' in html


def test_drafts_are_never_found(client, records):
    found = groups(client.get("/search/?q=midwifery"))
    assert found["letters"] == ([records["letter"].pk], 1)
    assert found["commitments"] == ([records["commitment"].pk], 1)


def test_one_kind_is_paginated_with_a_count(client, records):
    for n in range(25):
        CommitmentFactory(letter=records["letter"], text=f"We will review hospital {n} by 2027.")
    response = client.get("/search/?q=review&type=commitments")
    assert response.context["page"].paginator.count == 26
    assert len(response.context["rows"]) == 20
    assert "page=2" in response.content.decode()


def test_empty_and_overlong_queries(client, records):
    response = client.get("/search/")
    assert response.status_code == 200 and response.context["groups"] == []
    response = client.get("/search/?q=" + "x" * 201)
    assert "Search words must be 200 characters or fewer" in response.content.decode()


def test_markup_in_the_query_or_the_text_is_escaped(client, records):
    ResponseLetterFactory(text="Staffing <script>alert(1)</script> review")
    html = client.get("/search/?q=<b>review</b>").content.decode()
    assert "<script>alert(1)" not in html and "<b>review</b>" not in html


def test_queries_do_not_grow_with_results(client, records, django_assert_max_num_queries):
    with django_assert_max_num_queries(8) as few:
        client.get("/search/?q=staffing")
    for n in range(10):
        letter = ResponseLetterFactory(text=f"Staffing letter {n}")
        CommitmentFactory(letter=letter, text=f"Staffing promise {n}")
        RecommendationFactory(text=f"Staffing recommendation {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/search/?q=staffing")


@pytest.mark.parametrize(
    "query, included, excluded",
    [
        ("prison staffing", ["prison", "staffing"], []),
        ('"mental health" -prison', ["mental health"], ["prison"]),
        ("probation or prison", ["probation", "prison"], []),
        ('" "', [], []),
    ],
)
def test_terms_of_the_quick_start_search(query, included, excluded):
    assert search.terms(query) == (included, excluded)


def test_the_quick_start_search_matches_every_word(records, settings):
    settings.IS_POSTGRES = False  # the SQLite branch, run here on PostgreSQL
    assert list(search.matching("letters", "midwifery STAFFING")) == [records["letter"]]
    assert list(search.matching("letters", "midwifery -staffing")) == []
    assert list(search.matching("commitments", '"review of midwifery"')) == [records["commitment"]]
    assert list(search.matching("reports", "nothing like this")) == []


def test_the_commitment_search_uses_its_index(records):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        query = search.matching("commitments", "midwifery")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "commitment_text_search_idx" in plan, plan


def test_snippet_marks_inflections_and_cuts_around_the_first_match():
    text = "Introduction. " + "Filler words here. " * 40 + "We are reviewing the rules. " + "More. " * 40
    passage = search.snippet(text, "review")
    assert "<mark>reviewing</mark>" in passage
    assert passage.startswith("… ") and passage.endswith(" …") and len(passage) < 400
