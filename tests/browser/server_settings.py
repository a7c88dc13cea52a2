"""Settings for the Daphne process the browser tests start: the test settings, plus static
files served from the source tree (no collectstatic) and cookies over plain http."""

from tests.settings import *  # noqa: F403

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
