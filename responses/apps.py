from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    name = "responses"
    verbose_name = "Government responses and commitments"

    def ready(self):
        from responses import signals  # noqa: F401 - connects the receivers
