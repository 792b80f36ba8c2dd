"""Every 15 minutes, digests of the current and the previous ISO week that were claimed and never sent (a worker
killed mid-send), or never sent at all, are queued again (tracker.tasks.send_unsent_digests). Created only when
absent (by name), so an administrator's changes survive."""

from django.db import migrations

NAME = "Send digests left unsent (every 15 minutes)"
TASK = "tracker.tasks.send_unsent_digests"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    every, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.create(name=NAME, task=TASK, interval=every, enabled=True)


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("tracker", "0010_pfd_clocks")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
