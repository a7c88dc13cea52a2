"""A decision-making body (nämnd, fullmäktige, styrelse), its seats, substitutes and officers.

The body's rules are fields, not code: Swedish municipal bodies and associations differ in
remote participation, quorum, abstaining, secret ballots and how substitutes are called in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Body(models.Model):
    class Kind(models.TextChoices):
        FULLMAKTIGE = "fullmaktige", _("Municipal council (kommunfullmäktige)")
        NAMND = "namnd", _("Committee (nämnd)")
        UTSKOTT = "utskott", _("Sub-committee (utskott)")
        STYRELSE = "styrelse", _("Board (styrelse)")
        STAMMA = "stamma", _("General meeting or congress (stämma, kongress)")

    class RemoteRuleset(models.TextChoices):
        NONE = "none", _("Remote participation not allowed")
        AUDIO_VIDEO = "audio_video", _(
            "KL 2017: present only with live sound and video; a dropped link pauses the meeting"
        )
        CHAIR_ENSURES = "chair_ensures", _(
            "Prop. 2025/26:164: the chair ensures remote members can follow and take part"
        )

    class QuorumRule(models.TextChoices):
        MORE_THAN_HALF = "more_than_half", _("More than half of the seats (KL 5:45, 6:27)")
        AT_LEAST_HALF = "at_least_half", _("At least half of the seats")

    class AbstainPolicy(models.TextChoices):
        ALLOWED = "allowed", _("Members may abstain")
        ANNOUNCE_BEFORE = "announce_before", _("Abstaining must be announced before the vote")
        FORBIDDEN = "forbidden", _("Abstaining is not allowed")

    class SecretBallotPolicy(models.TextChoices):
        ELECTIONS = "elections", _("Elections only")
        ELECTIONS_AND_APPOINTMENTS = "elections_and_appointments", _(
            "Elections and staff appointments"
        )
        ANY_DECISION = "any_decision", _("Any decision (associations)")

    class PresidingSuccession(models.TextChoices):
        VICE_CHAIRS = "vice_chairs", _(
            "The vice chairs in order, then a member the meeting names"
        )
        # KL 5:12: the member who has served longest; between equals, the eldest. The value
        # keeps its historical name.
        ELDEST_MEMBER = "eldest_member", _(
            "The member who has served longest (ålderspresident; age breaks a tie)"
        )

    class SubstitutePolicy(models.TextChoices):
        PARTY_ORDER = "party_order", _("Own party first, then the call-in order")
        BODY_ORDER = "body_order", _("The body's call-in order")
        NONE = "none", _("No substitutes")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NAMND)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    seats_count = models.PositiveSmallIntegerField(_("number of seats"))
    remote_ruleset = models.CharField(
        _("remote participation"),
        max_length=20,
        choices=RemoteRuleset.choices,
        default=RemoteRuleset.CHAIR_ENSURES,
    )
    quorum_rule = models.CharField(
        _("quorum rule"), max_length=20, choices=QuorumRule.choices,
        default=QuorumRule.MORE_THAN_HALF,
    )
    abstain_policy = models.CharField(
        _("abstaining"), max_length=20, choices=AbstainPolicy.choices,
        default=AbstainPolicy.ALLOWED,
    )
    secret_ballot_policy = models.CharField(
        _("secret ballots"), max_length=30, choices=SecretBallotPolicy.choices,
        default=SecretBallotPolicy.ELECTIONS,
    )
    substitute_policy = models.CharField(
        _("substitute call-in"), max_length=20, choices=SubstitutePolicy.choices,
        default=SubstitutePolicy.PARTY_ORDER,
    )
    substitutes_may_speak = models.BooleanField(
        _("substitutes who do not serve may speak"), default=True
    )
    # Talartid: the big screen, the room and the cockpit count down from it; the presiding
    # person may give a speaker more (``speaker_time_add``). 0: no limit.
    speaking_time_seconds = models.PositiveIntegerField(
        _("speaking time limit in seconds (0 = none)"), default=0
    )
    # A jäv reason is personal data: it never reaches the public version; the internal
    # minutes keep it only where the body's rules say so.
    minutes_keep_recusal_reasons = models.BooleanField(
        _("internal minutes keep the reasons given for jäv"), default=False
    )
    chair_controls_meeting = models.BooleanField(
        _("chair may run the meeting controls"), default=True
    )
    presiding_succession = models.CharField(
        _("who presides when the chair cannot"), max_length=20,
        choices=PresidingSuccession.choices, default=PresidingSuccession.VICE_CHAIRS,
    )
    presence_grace_seconds = models.PositiveIntegerField(
        _("grace period before a dropped connection counts as absent (seconds)"), default=30
    )

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]
        # The organisation administrator (meetings.setup.access): sets up bodies, seats,
        # members, substitutes and offices. A plain Django permission, given to a person or a
        # group in the Django admin (superusers have it); no role table of our own.
        permissions = [
            ("administer_organisation", _("Can set up the organisation's bodies and members")),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats_count__gte=1), name="body_has_seats"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def remote_allowed(self) -> bool:
        return self.remote_ruleset != self.RemoteRuleset.NONE


class Seat(models.Model):
    """A seat and its elected member (ledamot)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="seats")
    number = models.PositiveSmallIntegerField(_("seat number"))
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="seats",
        verbose_name=_("member"),
    )
    party = models.CharField(_("party"), max_length=80, blank=True)
    weight = models.PositiveSmallIntegerField(_("vote weight"), default=1)
    # Terms of office (mandatperiod): informative dates, printed in the setup pages; an empty
    # end means "until further notice". Who serves today is the row, not the dates.
    term_start = models.DateField(_("term of office from"), null=True, blank=True)
    term_end = models.DateField(_("term of office until"), null=True, blank=True)

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["body", "number"]
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="seat_number_unique"),
            models.UniqueConstraint(fields=["body", "member"], name="seat_member_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="seat_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.body} #{self.number}: {self.member.get_full_name() or self.member}"


class Substitute(models.Model):
    """A substitute (ersättare) with their place in the call-in order (tjänstgöringsordning)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="substitutes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="substitute_posts",
        verbose_name=_("substitute"),
    )
    party = models.CharField(_("party"), max_length=80, blank=True)
    call_in_order = models.PositiveSmallIntegerField(_("call-in order"))
    # Terms of office (mandatperiod): informative dates, printed in the setup pages; an empty
    # end means "until further notice". Who serves today is the row, not the dates.
    term_start = models.DateField(_("term of office from"), null=True, blank=True)
    term_end = models.DateField(_("term of office until"), null=True, blank=True)

    class Meta:
        verbose_name = _("substitute")
        verbose_name_plural = _("substitutes")
        ordering = ["body", "call_in_order"]
        constraints = [
            models.UniqueConstraint(fields=["body", "user"], name="substitute_unique"),
            models.UniqueConstraint(
                fields=["body", "call_in_order"], name="substitute_order_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call_in_order}. {self.user.get_full_name() or self.user}"


class BodyRole(models.Model):
    """An office in the body: chair, vice chairs, secretary."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair (ordförande)")
        VICE_CHAIR = "vice_chair", _("Vice chair (vice ordförande)")
        SECRETARY = "secretary", _("Secretary (sekreterare)")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="body_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.UniqueConstraint(fields=["body", "user", "role"], name="body_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.user.get_full_name() or self.user}"
