"""Prepare the test provider's database: tables, a signing key, users and Klubba's client.

    python -m tests.oidc_provider.setup REDIRECT_URI CLIENT_ID CLIENT_SECRET USER:PW:FIRST:LAST...

A user spec may end in ``:mfa``: that user's logins count as two-factor (``claims.py``).
"""

import os
import sys


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType

    redirect_uri, client_id, client_secret, *users = argv
    call_command("migrate", verbosity=0)
    call_command("creatersakey")
    for spec in users:
        username, password, first, last, *flags = spec.split(":")
        User.objects.create_user(username=username, password=password, first_name=first,
                                 last_name=last, is_staff="mfa" in flags)
    client = Client.objects.create(
        name="Klubba", client_type="confidential", client_id=client_id,
        client_secret=client_secret, redirect_uris=[redirect_uri], require_consent=False,
        jwt_alg="RS256",
    )
    client.response_types.add(ResponseType.objects.get(value="code"))


if __name__ == "__main__":
    main(sys.argv[1:])
