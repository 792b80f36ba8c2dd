"""A weekly check of Report.earliest_open_due (tracker.tasks.check_report_due_dates), in the admin like the
other schedules. Created only when absent (by name), so an administrator's changes survive."""

from django.db import migrations

NAME = "Check reports' earliest open due dates (Sundays 05:00 London)"
TASK = "tracker.tasks.check_report_due_dates"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="5",
        day_of_week="0",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.create(name=NAME, task=TASK, crontab=crontab, enabled=True)


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("tracker", "0007_report_earliest_open_due")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
