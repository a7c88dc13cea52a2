from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = _("Minutes")

    def ready(self) -> None:
        from meetings.errors import register_error_codes
        from minutes import errors, events, visibility
        from minutes.anchor import checkpoints

        register_error_codes(errors.MESSAGES)
        events.register()
        visibility.register()
        checkpoints.connect()
