"""Create or show the organisation CA that signs the minutes (see docs/operations.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minutes import ca_store
from minutes.anchor import keys as anchor_keys
from minutes.signing import ConfigurationError, SigningError


class Command(BaseCommand):
    help = "Organisation signing CA: `init` creates it, `show` prints its fingerprint."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        init = sub.add_parser("init", help="Create the CA (refuses to overwrite one).")
        init.add_argument("--organisation", default=None,
                          help="Organisation name in the certificate (default: "
                               "KLUBBA_ORGANISATION_NAME).")
        sub.add_parser("show", help="Print the root certificate's path and SHA-256 fingerprint.")

    def handle(self, *args, **options) -> None:
        try:
            if options["action"] == "init":
                if ca_store.ca_exists():
                    raise CommandError(
                        f"An organisation CA already exists in {ca_store.signing_dir()}; "
                        "refusing to overwrite it (see docs/operations.md, rotation)."
                    )
                ca_store.init_ca(organisation=options.get("organisation"))
                self.stdout.write(self.style.SUCCESS("Organisation CA created."))
                if not anchor_keys.key_exists():
                    anchor_keys.init_key()
                    self.stdout.write(self.style.SUCCESS("Log anchoring key created."))
            if not ca_store.ca_exists():
                raise CommandError(
                    f"No organisation CA in {ca_store.signing_dir()}; run `signing_ca init`."
                )
            self.stdout.write(f"Directory:   {ca_store.signing_dir()}")
            self.stdout.write(f"Certificate: {ca_store.signing_dir() / 'ca-cert.pem'}")
            self.stdout.write(f"SHA-256:     {ca_store.root_fingerprint()}")
        except ConfigurationError as exc:
            raise CommandError(
                f"{exc} Set KLUBBA_SIGNING_KEY_PASSPHRASE (a long random secret)."
            ) from None
        except (SigningError, FileExistsError) as exc:
            raise CommandError(str(exc)) from None
