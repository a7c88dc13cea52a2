"""Claims of the test provider's users."""


def subject(user) -> str:
    return f"urn:test-idp:{user.pk:06d}"


def userinfo(claims, user):
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["preferred_username"] = user.username
    return claims
