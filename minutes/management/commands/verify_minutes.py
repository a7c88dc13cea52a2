"""Verify a signed minutes PDF against the organisation root(s), from the command line."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minutes import public


class Command(BaseCommand):
    help = ("Check every signature of a minutes PDF against the organisation root and whether "
            "the file is a published version. Exits non-zero unless everything is valid.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("pdf", type=Path)

    def handle(self, *args, **options) -> None:
        path: Path = options["pdf"]
        try:
            result = public.verify_upload(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from None
        except public.VerificationRefused as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(f"SHA-256: {result.sha256}")
        for n, s in enumerate(result.signatures, start=1):
            self.stdout.write(
                f"{n}. {s.signer_common_name or '?'}  {s.signing_time or '-'}  "
                f"intact={s.intact} trusted={s.trusted} coverage={s.coverage} "
                f"{'certification' if s.certification else 'approval'}"
                + (f"  error={s.error}" if s.error else "")
            )
        if result.pdfsig_valid is not None:
            self.stdout.write(f"pdfsig: {'valid' if result.pdfsig_valid else 'NOT valid'}")
        for match in result.matches:
            where = (f"/protokoll/{match.publication.pk}/" if match.publication else
                     f"meeting {match.document.meeting_id}")
            self.stdout.write(f"Identical to the {match.version} version of {where}")
        if not result.signatures:
            raise CommandError("The file contains no signatures.")
        if not result.all_valid:
            raise CommandError("NOT VALID.")
        self.stdout.write(self.style.SUCCESS("All signatures are valid and trusted."))
