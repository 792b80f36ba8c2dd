"""Create the role groups with their model permissions (run by a data migration and by seed_demo)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

from tracker.permissions import ROLE_PERMISSIONS


def sync_roles(apps=global_apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are normally created after migrations; make sure they exist before granting them.
    for app_config in apps.get_app_configs():
        # A migration's app configs have no models_module, which create_permissions needs; put back what was
        # there, so that called with the real registry (seed_demo) it does not leave every app without one
        # (later post_migrate signals, as after a test's flush, would then create no permissions at all).
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, verbosity=0, apps=apps)
        finally:
            app_config.models_module = models_module
    for group_name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
