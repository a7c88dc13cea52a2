from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("HTTP API")

    def ready(self) -> None:
        from api import errors
        from meetings.errors import register_error_codes

        register_error_codes(errors.MESSAGES)
