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
        "sso_missing": _("Log in again at your organisation's identity provider before "
                         "signing (use the button above)."),
        "sso_mfa_required": _("This body requires a login with two factors at your "
                              "organisation's identity provider; the last login used only "
                              "one. Log in again with two factors."),
    }
    return texts.get(reason, texts["wrong"])


def step_up_refusal_text(reason: str) -> str:
    """Why a fresh login at the identity provider did not count (``identity.sso_stepup``)."""
    texts = {
        "not_fresh": _("The identity provider did not ask you to log in again (or its clock "
                       "is wrong), so it does not count as a fresh login. Try again."),
        "wrong_user": _("You logged in at the identity provider as someone else than the "
                        "person logged in to Klubba."),
        "idp_unavailable": _("Your organisation's identity provider could not be reached. "
                             "Try again in a moment."),
        "provider_error": _("The identity provider did not confirm the login."),
    }
    return texts.get(reason, _("The login at the identity provider could not be checked. "
                               "Try again."))
