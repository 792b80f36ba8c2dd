"""Keep Report.earliest_open_due right when commitments, letters or their report links are saved or deleted.

The receivers run inside the saving transaction, so a rolled-back change leaves no trace on the reports.
Bulk writes (bulk_create, QuerySet.update) send no signals: their callers refresh the reports themselves
(see responses/report_due_dates.py).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from responses import report_due_dates
from responses.models import Commitment, ResponseLetter


@receiver(post_save, sender=Commitment)
@receiver(post_delete, sender=Commitment)
def commitment_changed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the letters and links may not be there yet (refresh_report_due_dates afterwards)
        return
    # A commitment moved to another letter (in the admin) leaves its former letter's reports too.
    report_due_dates.refresh_for_letters({instance.letter_id, instance.loaded_letter_id})
    instance.loaded_letter_id = instance.letter_id


@receiver(post_save, sender=ResponseLetter)
def letter_saved(sender, instance, created, raw=False, **kwargs):
    # A new letter has no reports yet; a saved one may have been confirmed (its commitments now count).
    if not created and not raw:
        report_due_dates.refresh_for_letters({instance.pk})


@receiver(pre_delete, sender=ResponseLetter)
def letter_deleting(sender, instance, **kwargs):
    instance.reports_before_delete = list(instance.reports.values_list("pk", flat=True))


@receiver(post_delete, sender=ResponseLetter)
def letter_deleted(sender, instance, **kwargs):
    report_due_dates.refresh_reports(getattr(instance, "reports_before_delete", []))


@receiver(m2m_changed, sender=ResponseLetter.reports.through)
def letter_reports_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """letter.reports.add/remove/set/clear, and the same from the report's side (report.response_letters)."""
    if action == "pre_clear":
        # After a clear the links are gone: remember which reports (or, from a report's side, itself).
        instance.reports_before_clear = (
            [instance.pk] if reverse else list(instance.reports.values_list("pk", flat=True))
        )
    elif action == "post_clear":
        report_due_dates.refresh_reports(getattr(instance, "reports_before_clear", []))
    elif action in ("post_add", "post_remove"):
        report_due_dates.refresh_reports([instance.pk] if reverse else pk_set or [])
