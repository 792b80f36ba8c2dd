from django.core.management.base import BaseCommand, CommandError

from tracker import digests, emails


class Command(BaseCommand):
    help = (
        "Send this week's digest to every subscriber who has not had it yet (exactly once per ISO week). "
        "--dry-run prints each digest's plain-text part and sends and records nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the digests; send and record nothing."
        )
        parser.add_argument("--week", help="ISO week, e.g. 2025-W08. Default: the current week (London).")
        parser.add_argument("--to", metavar="EMAIL", help="Only the subscriber with this email address.")

    def handle(self, *args, dry_run=False, week=None, to=None, **options):
        week = week or digests.current_week()
        try:
            digests.week_monday(week)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        subscriptions = digests.subscriptions_to_send()
        if to:
            subscriptions = subscriptions.filter(user__email__iexact=to)
            if not subscriptions.exists():
                raise CommandError(f"No active subscriber with the email address {to}.")
        if dry_run:
            for digest in digests.build_digests(subscriptions, week):
                if digest.is_empty and not digest.subscription.send_when_empty:
                    self.stdout.write(f"To: {digest.user.email}: nothing to report, not sent.")
                    self.stdout.write("=" * 78)
                    continue
                self.stdout.write(f"To: {digest.user.email}")
                self.stdout.write(f"Subject: {emails.digest_message(digest).subject}\n")
                self.stdout.write(emails.digest_text(digest))
                self.stdout.write("=" * 78)
            return
        outcome = digests.send_digests(week, email=to)
        summary = (
            ", ".join(f"{count} {status}" for status, count in sorted(outcome.items())) or "no subscribers"
        )
        self.stdout.write(f"Digests for {week}: {summary}.")
        if outcome.get(digests.DigestDelivery.Status.FAILED):
            raise CommandError(
                "Some digests failed; run the command again to retry them (sent ones are kept)."
            )
