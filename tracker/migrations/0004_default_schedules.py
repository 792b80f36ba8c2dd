"""The default periodic schedules, in the admin so administrators can see and change them.

Created only when absent (by name), so an administrator's changes survive later migrations.
"""

from django.db import migrations

LONDON = "Europe/London"
DEFAULT_SCHEDULES = [
    # name, task, crontab (minute, hour, day_of_week)
    ("Overdue sweep (daily 06:00 London)", "tracker.tasks.flag_overdue", ("0", "6", "*")),
    ("Weekly digests (Mondays 07:00 London)", "tracker.tasks.send_weekly_digests", ("0", "7", "1")),
]


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour, day_of_week) in DEFAULT_SCHEDULES:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone=LONDON,
        )
        PeriodicTask.objects.create(name=name, task=task, crontab=crontab, enabled=True)


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _, _ in DEFAULT_SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0003_digest_delivery"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
