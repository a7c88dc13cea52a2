from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        # Every registry this app fills is filled here, once, after all models are loaded.
        from meetings import audiences, errors, events

        errors.register_error_codes(errors.MESSAGES)
        events.register()
        audiences.register()
