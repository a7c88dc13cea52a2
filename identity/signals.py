"""The identity app's signal to the socket layer: some of a user's credentials stopped being
valid (a session revoked or logged out, a token revoked, the second factor reset).

``identity`` may not import ``realtime`` (tests/test_layers.py); ``realtime.revocation``
subscribes and closes the matching open sockets, in this process and, through the channel
layer, in every other.

Keyword arguments of ``credentials_revoked``:

- ``user_id``: whose credentials;
- ``session_keys``: the sessions whose sockets close (a list), or None;
- ``token_ids``: the API tokens (``realtime.models.ApiToken`` ids) whose sockets close, or None;
- ``reason``: ``revoked``, ``logout``, ``logout_everywhere``, ``second_factor_reset``, ...

Both None means every socket of the user.
"""

from __future__ import annotations

from django.dispatch import Signal

credentials_revoked = Signal()
