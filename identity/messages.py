"""Readable texts for refused codes (the reason codes come from ``identity.factors``)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def refusal_text(reason: str) -> str:
    texts = {
        "wrong": _("The code is not correct. Check that your phone's clock is right and try "
                   "again with the current code."),
        "replayed": _("That code has already been used. Wait for the next code in the app."),
        "throttled": _("Too many wrong codes. Wait a while before trying again."),
        "no_device": _("You have not set up two-factor authentication yet."),
        "missing": _("Enter the code from your authenticator app to sign."),
        "malformed": _("Enter the six digits the app shows, or one of your recovery codes."),
    }
    return texts.get(reason, texts["wrong"])
