"""Claims of the test provider's users."""


def subject(user) -> str:
    return f"urn:test-idp:{user.pk:06d}"


#: What the test provider says about how a user logged in: users created with the "mfa"
#: flag (tests/oidc_provider/setup.py; stored as ``is_staff``) count as two-factor logins.
MFA_ACR, PASSWORD_ACR = "urn:test-idp:loa3", "urn:test-idp:loa2"


def id_token_hook(id_token, user, token=None, request=None, **kwargs):
    """``acr`` and ``amr`` in the ID token (``auth_time`` the provider adds itself: the
    user's ``last_login``, so a fresh login at ``prompt=login`` moves it)."""
    id_token["acr"] = MFA_ACR if user.is_staff else PASSWORD_ACR
    id_token["amr"] = ["pwd", "otp", "mfa"] if user.is_staff else ["pwd"]
    return id_token


def userinfo(claims, user):
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["preferred_username"] = user.username
    return claims
