from django.contrib import admin

from realtime.models import ApiToken
from realtime.revocation import revoke_tokens


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created with `manage.py create_api_token`; the admin can list and revoke."""

    list_display = ("prefix", "name", "user", "created", "last_used", "revoked")
    list_filter = ("revoked",)
    search_fields = ("prefix", "name", "user__username")
    readonly_fields = ("prefix", "created", "last_used")
    fields = ("user", "name", "prefix", "created", "last_used", "revoked")
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        # The plain token can be shown only once; the management command does that.
        return False

    @admin.action(description="Revoke selected tokens")
    def revoke(self, request, queryset) -> None:
        revoke_tokens(queryset)  # their open sockets close too
