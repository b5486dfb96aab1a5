"""``manage.py client_bootstrap``: create a client and its admin user, non-interactively."""

import os

from django.core.management.base import BaseCommand

from apps.accounts.services import client_bootstrap


class Command(BaseCommand):
    """Create (or find) a client and its admin user; a generated password is printed once."""

    help = (
        "Create a client (tenant) and its admin user. Flags or env vars FUSION_CLIENT_CODE, "
        "FUSION_CLIENT_NAME, FUSION_ADMIN_USERNAME, FUSION_ADMIN_EMAIL, FUSION_ADMIN_PASSWORD. "
        "Without a password one is generated and printed once. Safe to run again."
    )

    def add_arguments(self, parser):
        env = os.environ.get
        parser.add_argument("--client-code", default=env("FUSION_CLIENT_CODE", "default"))
        parser.add_argument("--client-name", default=env("FUSION_CLIENT_NAME", "Default client"))
        parser.add_argument("--username", default=env("FUSION_ADMIN_USERNAME", "admin"))
        parser.add_argument("--email", default=env("FUSION_ADMIN_EMAIL", "admin@example.com"))
        parser.add_argument("--password", default=env("FUSION_ADMIN_PASSWORD"))
        parser.add_argument(
            "--superuser", action="store_true", help="Make the admin a superuser (all clients)."
        )
        parser.add_argument(
            "--sandbox",
            action="store_true",
            help="Give the client a sandbox provider for every channel if it has no provider.",
        )

    def handle(self, *args, **options):
        client, user, generated = client_bootstrap(
            code=options["client_code"],
            name=options["client_name"],
            username=options["username"],
            email=options["email"],
            password=options["password"],
            superuser=options["superuser"],
            sandbox=options["sandbox"],
        )
        self.stdout.write(f"client: {client.code} (id {client.id}); admin user: {user.username}")
        if generated:
            self.stdout.write(self.style.WARNING(f"generated password (shown once): {generated}"))
