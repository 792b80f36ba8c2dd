import datetime
import hashlib

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from responses.models import Commitment, CommitmentEvent, Position, ResponseLetter, Signatory
from tracker import permissions
from tracker.models import Addressee, Department, DigestSubscription, Recommendation, Report


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.uk")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
        if create:
            self.save()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Department of Test Affairs {n}")
    short_name = factory.Sequence(lambda n: f"DTA{n}")
    slug = factory.LazyAttribute(lambda d: d.name.lower().replace(" ", "-"))
    aliases = factory.LazyFunction(list)


def official_of(department, **kwargs):
    user = UserFactory(role=permissions.POLICY_OFFICIALS, **kwargs)
    department.officials.add(user)
    return user


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    kind = Report.Kind.PFD
    title = factory.Sequence(lambda n: f"Regulation 28 report relating to the death of Person {n}")
    deceased = factory.Sequence(lambda n: f"Person {n}")
    date_issued = datetime.date(2024, 5, 29)
    issuing_body = "Coroner Area of Testshire"
    author = "A Coroner"


class AddresseeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Addressee

    report = factory.SubFactory(ReportFactory)
    department = factory.SubFactory(DepartmentFactory)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    report = factory.SubFactory(ReportFactory)
    kind = Recommendation.Kind.CONCERN
    number = factory.Sequence(lambda n: n + 1)
    label = factory.LazyAttribute(lambda r: str(r.number))
    text = factory.Faker("sentence", nb_words=12)


class ResponseLetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponseLetter
        skip_postgeneration_save = True

    date = datetime.date(2024, 9, 16)
    text = factory.Faker("paragraph", nb_sentences=8)
    content_hash = factory.Sequence(lambda n: hashlib.sha256(f"letter {n}".encode()).hexdigest())
    review_state = ResponseLetter.ReviewState.CONFIRMED

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    letter = factory.SubFactory(ResponseLetterFactory)
    name = factory.Faker("name")
    role = "Minister of State"


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    letter = factory.SubFactory(ResponseLetterFactory)
    department = factory.SubFactory(DepartmentFactory)
    text = factory.Sequence(lambda n: f"We will publish guidance number {n} by March 2025.")
    time_phrase = "by March 2025"
    due_latest = datetime.date(2025, 3, 31)
    due_earliest = factory.LazyAttribute(lambda c: c.due_latest.replace(day=1) if c.due_latest else None)
    precision = Commitment.Precision.MONTH

    @factory.post_generation
    def recorded_at(obj, create, extracted, **kwargs):
        """When it entered the tracker (created_at is set on insert): CommitmentFactory(recorded_at=...)."""
        if create and extracted is not None:
            Commitment.objects.filter(pk=obj.pk).update(created_at=extracted)
            obj.created_at = extracted


class CommitmentEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitmentEvent

    commitment = factory.SubFactory(CommitmentFactory)
    kind = CommitmentEvent.Kind.NOTE


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    recommendation = factory.SubFactory(RecommendationFactory)
    department = factory.SubFactory(DepartmentFactory)
    stance = Position.Stance.ACCEPTED


class DigestSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigestSubscription
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
