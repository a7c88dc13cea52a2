"""Settings for the Daphne process the browser tests start: the test settings, plus static
files served from the source tree (no collectstatic) and cookies over plain http."""

from tests.settings import *  # noqa: F403

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Closing a browser context drops its sockets; a remote member's grace timer must not fire
# into a later test's database (the tests never need an expiry).
KLUBBA = {**KLUBBA, "PRESENCE_GRACE_SECONDS": 3600}  # noqa: F405
