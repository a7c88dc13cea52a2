from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = _("Identity")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from identity import errors, sessions
        from meetings.errors import register_error_codes

        register_error_codes(errors.MESSAGES)
        from identity import throttle  # noqa: F401 - audit receivers for password failures
        sessions.connect()
