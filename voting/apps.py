from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Voting")

    def ready(self) -> None:
        from meetings.errors import register_error_codes
        from voting import errors, events, guards, snapshot, visibility

        register_error_codes(errors.MESSAGES)
        events.register()
        visibility.register()
        snapshot.register()
        guards.register()
