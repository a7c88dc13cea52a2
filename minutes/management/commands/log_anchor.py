"""The log anchoring key and checkpoints (docs/operations.md, "The anchored log")."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meetings.models import Meeting
from minutes.anchor import keys
from minutes.anchor.checkpoints import anchor_file, sign_current_head
from minutes.signing import ConfigurationError, SigningError


class Command(BaseCommand):
    help = ("Log anchoring: `init` creates the Ed25519 key, `show` prints its public part, "
            "`checkpoint` signs every meeting's current head now.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("init", help="Create the anchoring key (refuses to overwrite one).")
        sub.add_parser("show", help="Print the key id, the public key and the anchor file.")
        sub.add_parser("checkpoint", help="Sign the head of every meeting not signed yet.")

    def handle(self, *args, **options) -> None:
        try:
            if options["action"] == "init":
                if keys.key_exists():
                    raise CommandError(f"A log anchoring key already exists in {keys.key_path()}"
                                       "; refusing to overwrite it.")
                keys.init_key()
                self.stdout.write(self.style.SUCCESS("Log anchoring key created."))
            elif options["action"] == "checkpoint":
                signed = sum(sign_current_head(m) is not None
                             for m in Meeting.objects.order_by("pk"))
                self.stdout.write(f"{signed} new checkpoint(s)")
            public = keys.public_key()
            if public is None:
                raise CommandError(f"No log anchoring key in {keys.public_path().parent}; run "
                                   "`klubba log_anchor init`.")
            self.stdout.write(f"Key id:      {keys.key_id(public)}")
            self.stdout.write(f"Public key:  {keys.public_path()}")
            self.stdout.write(f"Anchor file: {anchor_file()}")
        except ConfigurationError as exc:
            raise CommandError(
                f"{exc} Set KLUBBA_SIGNING_KEY_PASSPHRASE (a long random secret)."
            ) from None
        except (SigningError, FileExistsError) as exc:
            raise CommandError(str(exc)) from None
