"""Every model's admin list, add and change pages load for a superuser; search and filters answer."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from responses.models import LetterUpload
from tests.factories import (
    AddresseeFactory,
    CommitmentEventFactory,
    CommitmentFactory,
    DigestSubscriptionFactory,
    PositionFactory,
    SignatoryFactory,
)
from tracker.models import AddresseeName, DigestDelivery, PfdReportUpload, PublishedResponse, ReportCategory

pytestmark = pytest.mark.django_db

OUR_APPS = {"tracker", "responses"}


@pytest.fixture
def populated():
    CommitmentEventFactory(commitment=CommitmentFactory())
    AddresseeFactory().grant_extension(datetime.date(2024, 9, 1), reason="Coroner agreed")
    PositionFactory()
    SignatoryFactory()
    subscription = DigestSubscriptionFactory()
    DigestDelivery.objects.create(subscription=subscription, user=subscription.user, week="2025-W08")
    # The PFD corpus: a spelling waiting for review, a published response, a category.
    addressee = AddresseeFactory()
    AddresseeName.objects.create(
        key="oak care", spelling="Oak Care", department=addressee.department, match="new"
    )
    PublishedResponse.objects.create(report=addressee.report, url="https://example.org/guidance-response.pdf")
    ReportCategory.objects.create(name="Suicide (from 2015)")
    # An upload whose reading failed ("guidance" for the changelist search).
    LetterUpload.objects.create(
        original_filename="guidance.pdf", content_hash="e" * 64, state="failed", message="Could not be read."
    )
    PfdReportUpload.objects.create(
        original_filename="guidance.pdf", content_hash="e" * 64, state="failed", message="Could not be read."
    )


def our_models():
    return [model for model in admin.site._registry if model._meta.app_label in OUR_APPS]


def test_every_model_of_ours_is_registered():
    from django.apps import apps

    registered = set(our_models())
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            assert model in registered, model


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m._meta.label)
def test_changelist_add_and_change_pages_load(admin_client, populated, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "guidance"}).status_code == 200
    # Models only imports create (spellings, published responses) have no add page.
    can_add = admin.site._registry[model].has_add_permission(admin_client.get(changelist).wsgi_request)
    add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == (200 if can_add else 403)
    obj = model.objects.first()
    assert obj is not None
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert admin_client.get(change).status_code == 200


def test_commitment_list_shows_due_date_and_days_overdue(admin_client):
    CommitmentFactory(text="We will publish the overdue guidance", due_latest=datetime.date(2020, 1, 31))
    response = admin_client.get(reverse("admin:responses_commitment_changelist"), {"overdue": "yes"})
    body = response.content.decode()
    assert "We will publish the overdue guidance" in body
    assert "Days overdue" in body


def test_anonymous_is_sent_to_the_admin_login(client):
    response = client.get(reverse("admin:responses_commitment_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
