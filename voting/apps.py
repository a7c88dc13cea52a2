from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Voting")

    def ready(self) -> None:
        from voting import guards, snapshot, visibility

        visibility.register()
        snapshot.register()
        guards.register()
