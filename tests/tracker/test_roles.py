"""tracker.roles.sync_roles: the role groups and their permissions."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from tracker.permissions import ROLE_PERMISSIONS
from tracker.roles import sync_roles

pytestmark = pytest.mark.django_db


def test_syncing_roles_with_the_real_registry_leaves_every_app_its_models_module():
    """seed_demo calls it with the real registry: afterwards post_migrate (after a test's flush) must still find
    each app's models, or no permission would be created again and editors would be refused pages."""
    before = {config.label: config.models_module for config in apps.get_app_configs()}
    sync_roles()
    assert {config.label: config.models_module for config in apps.get_app_configs()} == before


def test_every_role_group_holds_the_permissions_it_names():
    sync_roles()
    for group_name, codes in ROLE_PERMISSIONS.items():
        held = {
            f"{app}.{code}"
            for app, code in Group.objects.get(name=group_name).permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert held == set(codes), group_name
