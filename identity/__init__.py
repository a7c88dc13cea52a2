"""Strong identity: second factors (django-otp), single sign-on (OpenID Connect), the body's
policy on who must use a second factor, and the audit log of identity events.

Import direction: ``identity`` may import ``meetings``; ``web`` and ``realtime`` call its
checks; the domain apps never import it (the signing command is told how the signer was
identified by its caller).
"""
