"""Admin: the body's second-factor rule, the links from an identity provider's subject to
a user (how an operator maps SSO logins to members), and the read-only audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from identity.models import AuditEntry, BodySecurity, ExternalIdentity


@admin.register(BodySecurity)
class BodySecurityAdmin(admin.ModelAdmin):
    list_display = ["body", "require_second_factor_officers", "require_second_factor_voters"]


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "issuer", "subject", "last_login_at"]
    search_fields = ["user__username", "subject"]
    raw_id_fields = ["user"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "actor", "subject"]
    list_filter = ["action"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
