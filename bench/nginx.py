"""nginx in front of the production topology, as docs/operations.md sets it up.

The site is ``deploy/nginx/klubba.conf`` itself, with only what a machine-local run must
change: the upstream lists the bench's Daphne ports (each ``server`` line keeps its
parameters), it listens on a free port of 127.0.0.1 instead of 80/443, and the certificate is
a self-signed one made now in a temporary directory. nginx (Debian's package) runs as a child
process with ``-p <tmp> -c <tmp>/nginx.conf -g 'daemon off;'``: no root, nothing written
outside the temporary directory. Klubba behind it is told the scheme by ``X-Forwarded-Proto``
(``KLUBBA_SECURE_PROXY_SSL_HEADER``, as in deploy/klubba.env.example).
"""

from __future__ import annotations

import re
import shutil
import socket
import ssl
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.procs import REPO

SITE = REPO / "deploy" / "nginx" / "klubba.conf"


def binary() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                     else None)


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (and its key), valid for a day."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=1))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "fullchain.pem", directory / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_config(upstream_ports: list[int], *, port: int, http_port: int, cert: Path,
                key: Path) -> str:
    site = SITE.read_text("utf-8")
    servers = re.findall(r"^(\s*)server 127\.0\.0\.1:\d+([^;]*);$", site, flags=re.M)
    if not servers:
        raise ValueError(f"{SITE}: no `server 127.0.0.1:<port>` line in the upstream")
    indent, params = servers[0]
    lines = "\n".join(f"{indent}server 127.0.0.1:{p}{params};" for p in upstream_ports)
    site = re.sub(r"^\s*server 127\.0\.0\.1:\d+[^;]*;$\n?", "", site, flags=re.M)
    site = site.replace("upstream klubba {", "upstream klubba {\n" + lines, 1)
    site = re.sub(r"^\s*listen \[::\]:\d+.*;$\n?", "", site, flags=re.M)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;")
    site = site.replace("/etc/letsencrypt/live/klubba.example.se/fullchain.pem", str(cert))
    return site.replace("/etc/letsencrypt/live/klubba.example.se/privkey.pem", str(key))


class Nginx:
    """nginx over ``upstream_ports``; ``url(path)`` is its ``wss://`` address."""

    def __init__(self, upstream_ports: list[int], directory: Path) -> None:
        nginx = binary()
        if nginx is None:
            raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
        self.dir = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.cert, key = self_signed(directory)
        self.port = free_port()
        (directory / "klubba.conf").write_text(site_config(
            upstream_ports, port=self.port, http_port=free_port(), cert=self.cert, key=key))
        temps = "\n".join(f"    {kind}_temp_path {directory / kind};"
                          for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (directory / "nginx.conf").write_text(
            f"pid {directory / 'nginx.pid'};\nerror_log {directory / 'error.log'} warn;\n"
            "worker_processes auto;\n"
            "events { worker_connections 16384; }\n"
            f"http {{\n    access_log off;\n{temps}\n"
            f"    include {directory / 'klubba.conf'};\n}}\n")
        self.log = open(directory / "nginx.out", "w")
        self.proc = subprocess.Popen(
            [nginx, "-p", str(directory), "-c", str(directory / "nginx.conf"),
             "-g", "daemon off;"], stdout=self.log, stderr=self.log,
            stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("nginx did not start: "
                                       + (directory / "error.log").read_text()[-2000:]) from None
                time.sleep(0.05)

    def url(self, path: str) -> str:
        return f"wss://127.0.0.1:{self.port}{path}"

    def client_tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
