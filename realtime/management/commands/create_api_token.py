"""Create an API token (for the websocket and the JSON API) for a user and print it once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from realtime.models import ApiToken


class Command(BaseCommand):
    help = ("Create an API token (websocket and JSON API) for USERNAME and print it (it is "
            "shown only once).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args, username: str, name: str, **options) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"no user {username!r}") from None
        row, token = ApiToken.issue(user=user, name=name)
        self.stderr.write(f"Created token {row.prefix}… for {username}; it is not shown again.")
        self.stdout.write(token)
