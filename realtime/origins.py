"""Which page origins may open a websocket: the same origin as the socket, or a trusted one.

An origin is compared by scheme, host and port, as a browser does (``https://a.example`` and
``https://a.example:8443`` or ``http://a.example`` are different origins). A socket's own
origin is its ``Host`` header (which must pass ``ALLOWED_HOSTS``) with the scheme the client
used: ``wss`` when the ASGI scope says so or, behind a TLS-terminating proxy, when the header
named by ``SECURE_PROXY_SSL_HEADER`` carries its value (Daphne does not put a scheme in a
websocket scope). Further origins are listed in full in ``CSRF_TRUSTED_ORIGINS``
(``KLUBBA_CSRF_TRUSTED_ORIGINS``), the same list Django's CSRF check uses for forms, with its
``https://*.example.se`` wildcard form. This is Django's own rule for unsafe HTTP requests.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain

DEFAULT_PORTS = {"http": 80, "https": 443}


def _header(scope: dict, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin1")
    return None


def normalized(origin: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin, ports made explicit; None if it is not one."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return None
    return scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme]


def allowed_hosts() -> list[str]:
    """``ALLOWED_HOSTS``, or Django's development defaults when it is empty with DEBUG on."""
    hosts = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not hosts:
        hosts = [".localhost", "127.0.0.1", "[::1]"]
    return hosts


def is_secure(scope: dict) -> bool:
    """Did the client use TLS? The scope's scheme, or the proxy's header when configured."""
    if scope.get("scheme") in ("wss", "https"):
        return True
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if not proxy:
        return False
    meta_name, expected = proxy
    name = meta_name.removeprefix("HTTP_").replace("_", "-").lower().encode("latin1")
    value = _header(scope, name)
    return value is not None and value.split(",", 1)[0].strip() == expected


def own_origin(scope: dict) -> tuple[str, str, int] | None:
    """The origin the socket itself was opened on, if its Host is an allowed host."""
    host = _header(scope, b"host")
    if not host:
        return None
    domain, _port = split_domain_port(host.lower())
    if not domain or not validate_host(domain, allowed_hosts()):
        return None
    return normalized(f"{'https' if is_secure(scope) else 'http'}://{host}")


def _trusted(origin: tuple[str, str, int]) -> bool:
    scheme, host, port = origin
    for entry in settings.CSRF_TRUSTED_ORIGINS:
        if "*" in entry:
            parts = urlsplit(entry)
            wildcard = parts.netloc.lower().replace("*", "", 1)
            pattern, _, entry_port = wildcard.partition(":")
            if parts.scheme == scheme and is_same_domain(host, pattern) and (
                int(entry_port) if entry_port else DEFAULT_PORTS.get(scheme)) == port:
                return True
        elif normalized(entry) == origin:
            return True
    return False


def origin_allowed(scope: dict, raw_origin: str) -> bool:
    """May a page of ``raw_origin`` open this socket (with the user's cookies)?"""
    origin = normalized(raw_origin)
    if origin is None:
        return False
    return origin == own_origin(scope) or _trusted(origin)
