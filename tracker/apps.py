from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Scrutiny: reports and recommendations"

    def ready(self):
        from tracker import signals  # noqa: F401 - connects the receivers
