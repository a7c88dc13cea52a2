"""Admin: where the secretary sets up bodies, people and agendas before a meeting.

The live state (status, active item, attendance, the log) is read-only here: it changes only
through commands, so the log stays the source of truth.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from meetings.models import (
    AgendaItem,
    Attachment,
    Body,
    BodyRole,
    Meeting,
    MeetingEvent,
    Proposal,
    Recusal,
    Seat,
    Substitute,
)


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    autocomplete_fields = ["member"]


class SubstituteInline(admin.TabularInline):
    model = Substitute
    extra = 0
    autocomplete_fields = ["user"]


class BodyRoleInline(admin.TabularInline):
    model = BodyRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "seats_count", "remote_ruleset", "quorum_rule"]
    search_fields = ["name"]
    inlines = [BodyRoleInline, SeatInline, SubstituteInline]
    fieldsets = [
        (None, {"fields": ["name", "kind", "organisation", "seats_count"]}),
        (
            _("Rules"),
            {
                "fields": [
                    "remote_ruleset", "quorum_rule", "abstain_policy", "secret_ballot_policy",
                    "substitute_policy", "substitutes_may_speak", "speaking_time_seconds",
                    "chair_controls_meeting",
                    "presence_grace_seconds",
                ]
            },
        ),
    ]


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0
    ordering = ["position"]
    fields = ["position", "title", "description", "prepared_proposal", "confidential"]
    show_change_link = True


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0


class ReadOnlyInline(admin.TabularInline):
    """Live-meeting rows: written only by commands, shown here for reference."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RecusalInline(ReadOnlyInline):
    model = Recusal
    fields = ["user", "reason", "recorded_by"]


class ProposalInline(ReadOnlyInline):
    model = Proposal
    fields = ["number", "kind", "text", "author", "entered_by", "withdrawn"]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "position", "confidential", "state", "paragraph"]
    list_filter = ["meeting__body", "confidential", "state"]
    search_fields = ["title"]
    readonly_fields = ["state", "paragraph"]
    inlines = [AttachmentInline, RecusalInline, ProposalInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "starts_at", "status", "is_public"]
    list_filter = ["body", "status", "is_public"]
    search_fields = ["title", "body__name"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline]
    readonly_fields = [
        "status", "paused", "agenda_approved", "active_item", "opened_at", "adjourned_at",
        "last_seq", "last_hash",
    ]
    fieldsets = [
        (None, {"fields": ["body", "title", "starts_at", "ends_at", "place", "video_link",
                           "is_public"]}),
        (_("Live state (changed only by the meeting itself)"), {
            "classes": ["collapse"], "fields": tuple(readonly_fields),
        }),
    ]


@admin.register(MeetingEvent)
class MeetingEventAdmin(admin.ModelAdmin):
    list_display = ["meeting", "seq", "type", "actor", "at"]
    list_filter = ["type", "meeting__body"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
