"""The identity app's tables: the body's second-factor policy, the link from an identity
provider's subject to a user, and the audit log of identity events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models import Body


class BodySecurity(models.Model):
    """Who in a body must log in with a second factor. No row means nobody must."""

    body = models.OneToOneField(Body, on_delete=models.CASCADE, related_name="security")
    require_second_factor_officers = models.BooleanField(
        _("require a second factor for the secretary, the chair and the adjusters"),
        default=False,
    )
    require_second_factor_voters = models.BooleanField(
        _("require a second factor for every member and substitute"), default=False
    )
    require_mfa_acr_for_signing = models.BooleanField(
        _("signing through the identity provider requires a multi-factor login (acr)"),
        default=False,
    )
    step_up_secret_ballots = models.BooleanField(
        _("a secret ballot needs a second factor checked shortly before"), default=False,
    )
    secret_ballot_step_up_minutes = models.PositiveSmallIntegerField(
        _("minutes a second factor counts for a secret ballot"), default=15,
    )

    class Meta:
        verbose_name = _("body security")
        verbose_name_plural = _("body security")

    def __str__(self) -> str:
        return f"{self.body}"


class ExternalIdentity(models.Model):
    """A user as an identity provider knows them: ``(issuer, subject)``, the stable ``sub``
    claim. Users are matched by this pair only, never by a name or an e-mail address."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="external_identities")
    issuer = models.CharField(_("issuer"), max_length=300)
    subject = models.CharField(_("subject (sub)"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"


class AuditEntry(models.Model):
    """One identity event (enrolment, failed code, reset, SSO login or refusal, step-up).

    Kept apart from the meeting log: these events belong to a person, not to a meeting, and
    the meeting log is published with the minutes."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=60)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        permissions = [("reset_second_factor", "Can reset a member's second factor")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class UserSession(models.Model):
    """A logged-in browser session, so its user can list and end it (Django's session table
    cannot be searched by user). Written at login, refreshed by page requests and by the
    session's open websockets (``identity.sessions``); deleted with the session."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="klubba_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(db_index=True)
    user_agent = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at", "-pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
