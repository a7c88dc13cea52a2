"""Settings for the test suite: the real settings with a throwaway key and a fast hasher."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("KLUBBA_SECRET_KEY", "tests-only-not-a-secret-" + "x" * 32)

from klubba.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A file, not memory: threads in concurrency tests and live Daphne processes share it. The
# name carries the process id so two test runs on one machine never share a database.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"klubba-test-{os.getpid()}.sqlite3")
    }
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_klubba_{os.getpid()}"}  # noqa: F405
# A connection left open by the websocket code's database thread would keep the test database
# from being dropped at the end of the run (and tests measure behaviour, not speed).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# The signing CA, the log anchoring key and its anchor file of a test run live in a directory
# of their own: a test that loads the demo must not write into the checkout's var/signing.
# A server the tests start (browser tests) is told its directory with KLUBBA_SIGNING_DIR.
if "KLUBBA_SIGNING_DIR" not in os.environ:
    KLUBBA = {**KLUBBA, "SIGNING_DIR": Path(tempfile.gettempdir())  # noqa: F405
              / f"klubba-test-signing-{os.getpid()}"}

# Uploaded agenda documents (meetings.setup.attachments) of a test run: not the checkout's
# var/media.
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"klubba-test-media-{os.getpid()}"
