"""The deployment files in deploy/ are valid for the tools that read them: nginx and systemd.

Each tool check runs where the tool is installed and is skipped, saying so, where it is not.
The checks read the files as they are in the repository; only machine paths (certificates,
the install directory) are pointed at this machine so the tools can open them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from klubba.envfile import parse

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").iterdir())
OPERATIONS = (ROOT / "docs" / "operations.md").read_text("utf-8")


def _self_signed(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "klubba.example.se")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + timedelta(days=1))
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "fullchain.pem", directory / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def _nginx() -> str | None:
    return os.environ.get("KLUBBA_NGINX") or shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def test_nginx_accepts_the_site_config(tmp_path):
    nginx = _nginx()
    if nginx is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light to run this check)")
    cert, key = _self_signed(tmp_path)
    site = (DEPLOY / "nginx" / "klubba.conf").read_text("utf-8")
    site = site.replace("/etc/letsencrypt/live/klubba.example.se/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/klubba.example.se/privkey.pem", str(key))
    (tmp_path / "klubba.conf").write_text(site, "utf-8")
    temps = "\n".join(f"    {kind}_temp_path {tmp_path / kind};"
                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\n"
        f"events {{}}\nhttp {{\n    access_log off;\n{temps}\n"
        f"    include {tmp_path / 'klubba.conf'};\n}}\n", "utf-8")
    done = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr
    assert "[warn]" not in done.stderr and "[emerg]" not in done.stderr, done.stderr


def test_systemd_accepts_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (package systemd)")
    venv_bin = Path(sys.executable).parent
    if not (venv_bin / "daphne").exists() or not (venv_bin / "klubba").exists():
        pytest.skip(f"{venv_bin} has no daphne/klubba scripts to stand in for /opt/klubba/.venv")
    names = []
    for unit in UNITS:
        text = unit.read_text("utf-8").replace("/opt/klubba/.venv/bin/", f"{venv_bin}/")
        text = text.replace("/opt/klubba", str(ROOT))
        name = unit.name.replace("@.service", "@8001.service")
        (tmp_path / name).write_text(text, "utf-8")
        if name != unit.name:
            (tmp_path / unit.name).write_text(text, "utf-8")
        names.append(str(tmp_path / name))
    done = subprocess.run([analyze, "verify", "--man=no", *names], capture_output=True,
                          text=True, timeout=120, check=False, cwd=tmp_path)
    ours = [line for line in (done.stdout + done.stderr).splitlines()
            if any(Path(n).name in line for n in names)]
    assert done.returncode == 0 and not ours, done.stdout + done.stderr


def test_units_run_the_klubba_command_with_the_settings_file():
    for unit in UNITS:
        text = unit.read_text("utf-8")
        if unit.suffix == ".service":
            assert "EnvironmentFile=/etc/klubba/klubba.env" in text, unit.name
            assert "User=klubba" in text, unit.name


def test_the_example_settings_file_names_only_real_settings():
    names = parse((DEPLOY / "klubba.env.example").read_text("utf-8"))
    sources = "".join(p.read_text("utf-8") for p in (ROOT / "klubba").glob("*.py"))
    for name in names:
        assert f'"{name}"' in sources, f"{name} is read nowhere in klubba/"


def test_operations_walks_through_every_deploy_file():
    for path in [*UNITS, DEPLOY / "nginx" / "klubba.conf", DEPLOY / "klubba.env.example"]:
        assert str(path.relative_to(ROOT)) in OPERATIONS, path


def test_the_settings_file_reads_as_systemd_reads_it():
    from klubba.envfile import EnvFileError

    text = '# comment\n\nA=1\nB = "two words"\nC=Ekby kommun\n'
    assert parse(text) == {"A": "1", "B": "two words", "C": "Ekby kommun"}
    with pytest.raises(EnvFileError, match="without `export`"):
        parse("export A=1\n")
