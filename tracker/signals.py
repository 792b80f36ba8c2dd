"""Keep each PFD report's stored clock (Report.pfd_* columns) right when its addressees or published responses
are saved or deleted. The receivers run inside the saving transaction. Bulk writes send no signals: the
importer refreshes its reports itself, and `manage.py refresh_pfd_clocks` recounts everything."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tracker.models import Addressee, PublishedResponse, Report


@receiver(post_save, sender=Addressee)
@receiver(post_delete, sender=Addressee)
@receiver(post_save, sender=PublishedResponse)
@receiver(post_delete, sender=PublishedResponse)
def report_clock_changed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: run refresh_pfd_clocks afterwards
        return
    Report.objects.filter(pk=instance.report_id).refresh_pfd_clocks()


@receiver(post_save, sender=Report)
def report_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    # Its published_response_count may have changed (the admin); the clock's own columns are not in the form.
    if not raw and instance.kind == Report.Kind.PFD:
        Report.objects.filter(pk=instance.pk).refresh_pfd_clocks()
