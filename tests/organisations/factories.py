"""Factories of the organisations app's own models, for its tests."""

from datetime import timedelta

import factory
from django.utils import timezone

from organisations.models import Invitation, JoinRequest, Role, hash_token
from tests.factories import OrganisationFactory, UserFactory


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation; pass ``token=`` to know the emailed token."""

    class Meta:
        model = Invitation

    class Params:
        token = factory.Sequence(lambda n: f"invitation-token-{n}")

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"colleague{n}@school.example")
    role = Role.SPECIALIST
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
    invited_by = None
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class JoinRequestFactory(factory.django.DjangoModelFactory):
    """A pending request to join an organisation."""

    class Meta:
        model = JoinRequest

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    message = "Учитель информатики, прошу добавить меня в организацию."
