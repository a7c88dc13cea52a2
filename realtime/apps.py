from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RealtimeConfig(AppConfig):
    name = "realtime"
    verbose_name = _("Realtime")

    def ready(self) -> None:
        # Register the wire commands and connect the fan-out once every app is loaded.
        from realtime import fanout, presence, revocation
        from realtime.commands import register_all

        register_all()
        presence.register()
        fanout.connect()
        revocation.connect()
