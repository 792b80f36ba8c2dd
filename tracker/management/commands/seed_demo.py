from django.core.management.base import BaseCommand

from tracker.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load departments, the five curated seed letters and demo users. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--no-users", action="store_true", help="Do not create the demo users.")

    def handle(self, *args, no_users=False, **options):
        result = seed_demo(with_users=not no_users)
        self.stdout.write(
            f"Departments created: {result['departments_created']}; seed letters loaded: {result['letters_loaded']}."
        )
        if result["users"]:
            self.stdout.write(
                f"Demo users: {', '.join(result['users'])} (password: {DEMO_PASSWORD}). "
                "Sign in at http://127.0.0.1:8000/accounts/login/ as admin for everything."
            )
