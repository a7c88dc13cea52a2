from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Notices and absence")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from meetings.errors import register_error_codes
        from meetings.roster import register_arranged_substitutes
        from notices import errors, events
        from notices.absence import arranged_substitutes

        register_error_codes(errors.MESSAGES)
        events.register()
        register_arranged_substitutes(arranged_substitutes)
