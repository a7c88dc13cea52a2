"""Signing library: org CA, signer certificates, certify + approval signatures, verification.

Each test runs against real cryptography, real pyHanko and Debian's pdfsig; nothing is mocked.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from reportlab.pdfgen import canvas

from minutes.signing import (
    ConfigurationError,
    Coverage,
    CredentialMismatch,
    OrganisationCA,
    PdfUnreadable,
    SignerCredential,
    SigningFailed,
    WrongPassphrase,
    all_valid,
    create_root_ca,
    fingerprint_sha256,
    issue_signer_credential,
    load_ca,
    load_private_key,
    passphrase_from_settings,
    pdfsig_report,
    save_ca,
    sign_pdf,
    verify_pdf,
    verify_pdf_or_raise,
)

ORG = "Klubbans Idrottsförening"
CA_PASS = "ca passphrase for tests only"
KEY_PASS = "installation passphrase for tests only"
CHAIR, ADJ1, ADJ2 = "Åsa Öberg", "Bo Ek", "Li Yu"
FIELDS = ("Ordforande", "Justerare1", "Justerare2")
MARKER = b"Protokoll sida 1"


def minutes_pdf() -> bytes:
    """Two-page minutes; uncompressed so a test can find and flip a byte of the text."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, pageCompression=0)
    c.drawString(72, 720, MARKER.decode())
    c.showPage()
    c.drawString(72, 720, "Protokoll sida 2")
    c.showPage()
    c.save()
    return buf.getvalue()


@dataclass(frozen=True)
class Signed:
    ca: OrganisationCA
    signers: dict[str, SignerCredential]
    stages: list[bytes]  # unsigned, after chair, after adjuster 1, after adjuster 2
    chair_time: datetime

    @property
    def final(self) -> bytes:
        return self.stages[-1]


@pytest.fixture(scope="module")
def org_ca() -> OrganisationCA:
    return create_root_ca(organisation=ORG, passphrase=CA_PASS)


@pytest.fixture(scope="module")
def signed(org_ca: OrganisationCA) -> Signed:
    signers = {
        name: issue_signer_credential(
            ca=org_ca, ca_passphrase=CA_PASS, full_name=name, key_passphrase=KEY_PASS
        )
        for name in (CHAIR, ADJ1, ADJ2)
    }
    chair_time = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    stages = [minutes_pdf()]
    stages.append(
        sign_pdf(
            stages[-1],
            credential=signers[CHAIR],
            passphrase=KEY_PASS,
            ca_cert_pem=org_ca.cert_pem,
            field_name=FIELDS[0],
            reason="Ordförande",
            location="Klubba",
            certify=True,
            empty_fields=FIELDS[1:],
            signing_time=chair_time,
        )
    )
    for name, field in ((ADJ1, FIELDS[1]), (ADJ2, FIELDS[2])):
        stages.append(
            sign_pdf(
                stages[-1],
                credential=signers[name],
                passphrase=KEY_PASS,
                ca_cert_pem=org_ca.cert_pem,
                field_name=field,
                reason="Justerare",
            )
        )
    return Signed(ca=org_ca, signers=signers, stages=stages, chair_time=chair_time)


def flip_byte(data: bytes, index: int) -> bytes:
    out = bytearray(data)
    out[index] ^= 0x01
    return bytes(out)


# --- the happy path -------------------------------------------------------------------------


def test_three_signatures_are_intact_and_trusted_by_the_org_root_only(signed: Signed) -> None:
    reports = verify_pdf(signed.final, trust_root_pem=signed.ca.cert_pem)

    assert [r.field_name for r in reports] == list(FIELDS)
    assert [r.signer_common_name for r in reports] == [CHAIR, ADJ1, ADJ2]
    for report in reports:
        assert report.intact, report
        assert report.cryptographically_valid, report
        assert report.trusted, report
        assert report.docmdp_ok is True, report
        assert report.valid, report
        assert report.error is None
    assert [r.coverage for r in reports] == [
        Coverage.ENTIRE_REVISION,
        Coverage.ENTIRE_REVISION,
        Coverage.ENTIRE_FILE,
    ]
    # Adjusters only filled signature fields: that is within the chair's DocMDP P=2.
    assert [r.modification_level for r in reports] == ["form_filling", "form_filling", "none"]
    assert [r.certification for r in reports] == [True, False, False]
    assert reports[0].signing_time == signed.chair_time
    assert all(r.signing_time is not None for r in reports)
    assert reports[0].signer_cert_fingerprint == fingerprint_sha256(signed.signers[CHAIR].cert_pem)
    assert all_valid(reports, expected=3)
    assert not all_valid(reports, expected=2)


def test_each_signature_is_an_incremental_update_of_the_previous_bytes(signed: Signed) -> None:
    for before, after in zip(signed.stages, signed.stages[1:], strict=False):
        assert len(after) > len(before)
        assert after.startswith(before)
    # Intermediate stages verify on their own, the newest signature covering the whole file.
    after_chair = verify_pdf(signed.stages[1], trust_root_pem=signed.ca.cert_pem)
    assert [(r.field_name, r.coverage, r.valid) for r in after_chair] == [
        (FIELDS[0], Coverage.ENTIRE_FILE, True)
    ]


def test_pdfsig_reports_three_valid_signatures(signed: Signed) -> None:
    entries = pdfsig_report(signed.final)

    assert len(entries) == 3
    # pdfsig lists in AcroForm order; the chair's field is created first, so it matches.
    assert [e["field_name"] for e in entries] == list(FIELDS)
    assert [e["signer_common_name"] for e in entries] == [CHAIR, ADJ1, ADJ2]
    for entry in entries:
        assert entry["signature_validation"] == "Signature is Valid.", entry
        assert entry["signature_valid"] is True
        assert entry["signature_type"] == "ETSI.CAdES.detached"
        # pdfsig cannot know our private root, so its trust verdict is reported, not relied on.
        assert entry["certificate_validation"]
    assert [e["total_document_signed"] for e in entries] == [False, False, True]


# --- tampering ------------------------------------------------------------------------------


def test_flipping_one_signed_byte_breaks_every_signature(signed: Signed) -> None:
    index = signed.final.index(MARKER)
    assert signed.final.count(MARKER) == 1
    tampered = flip_byte(signed.final, index + 3)

    reports = verify_pdf(tampered, trust_root_pem=signed.ca.cert_pem)
    assert len(reports) == 3
    for report in reports:
        assert not report.intact, report
        assert not report.valid, report
    assert not all_valid(reports)

    entries = pdfsig_report(tampered)
    assert len(entries) == 3
    for entry in entries:
        assert entry["signature_valid"] is False, entry
        assert entry["signature_validation"] != "Signature is Valid."


def test_flipping_a_byte_of_the_last_revision_breaks_only_the_last_signature(
    signed: Signed,
) -> None:
    # A byte of the last adjuster's /Reason string lies only in the last signed range.
    start = len(signed.stages[2])
    index = signed.final.index(b"Justerare", start + signed.final[start:].index(b"/Reason"))
    tampered = flip_byte(signed.final, index)

    reports = verify_pdf(tampered, trust_root_pem=signed.ca.cert_pem)
    assert [r.intact for r in reports] == [True, True, False]
    assert [r.valid for r in reports] == [True, True, False]


def test_an_unsigned_change_after_signing_invalidates_the_signatures(signed: Signed) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.final))
    forged = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 600 Td (Beslut: nej) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(forged))
    out = io.BytesIO()
    writer.write(out)

    reports = verify_pdf(out.getvalue(), trust_root_pem=signed.ca.cert_pem)
    assert len(reports) == 3
    assert all(r.intact for r in reports)  # the old revisions are untouched ...
    assert all(r.modification_level == "other" for r in reports)  # ... but content changed
    assert not any(r.valid for r in reports)
    assert reports[-1].coverage is Coverage.ENTIRE_REVISION
    assert not all_valid(reports)


# --- trust ----------------------------------------------------------------------------------


def test_signature_from_another_ca_is_intact_but_not_trusted(org_ca: OrganisationCA) -> None:
    other_ca = create_root_ca(organisation="Annan förening", passphrase=CA_PASS)
    outsider = issue_signer_credential(
        ca=other_ca, ca_passphrase=CA_PASS, full_name="Eva Utomstående", key_passphrase=KEY_PASS
    )
    pdf = sign_pdf(
        minutes_pdf(),
        credential=outsider,
        passphrase=KEY_PASS,
        ca_cert_pem=other_ca.cert_pem,
        field_name="Ordforande",
        certify=True,
    )

    [report] = verify_pdf(pdf, trust_root_pem=org_ca.cert_pem)
    assert report.intact
    assert report.cryptographically_valid
    assert not report.trusted
    assert not report.valid
    assert report.signer_common_name == "Eva Utomstående"

    # Control: the very same file is trusted by its own root, and by a bundle holding it
    # (how a rotated, retired root stays usable for old minutes).
    [own] = verify_pdf(pdf, trust_root_pem=other_ca.cert_pem)
    assert own.trusted and own.valid
    [bundle] = verify_pdf(pdf, trust_root_pem=org_ca.cert_pem + other_ca.cert_pem)
    assert bundle.trusted and bundle.valid

    # Signing with the wrong CA certificate is caught before anything is signed.
    with pytest.raises(CredentialMismatch):
        sign_pdf(
            minutes_pdf(),
            credential=outsider,
            passphrase=KEY_PASS,
            ca_cert_pem=org_ca.cert_pem,
            field_name="Ordforande",
        )


# --- keys and certificates ------------------------------------------------------------------


def test_wrong_passphrase_raises_a_typed_error(signed: Signed) -> None:
    credential = signed.signers[ADJ1]
    with pytest.raises(WrongPassphrase):
        load_private_key(credential.encrypted_key_pem, passphrase="not the passphrase")
    with pytest.raises(WrongPassphrase):
        sign_pdf(
            minutes_pdf(),
            credential=credential,
            passphrase="not the passphrase",
            ca_cert_pem=signed.ca.cert_pem,
            field_name="Justerare1",
        )
    with pytest.raises(WrongPassphrase):
        issue_signer_credential(
            ca=signed.ca, ca_passphrase="wrong", full_name="X Y", key_passphrase=KEY_PASS
        )
    # The right passphrase still works (the error is not raised unconditionally).
    assert isinstance(
        load_private_key(credential.encrypted_key_pem, passphrase=KEY_PASS),
        ec.EllipticCurvePrivateKey,
    )


def test_signer_certificate_profile(signed: Signed) -> None:
    credential = signed.signers[CHAIR]
    cert = x509.load_pem_x509_certificate(credential.cert_pem)
    ca_cert = x509.load_pem_x509_certificate(signed.ca.cert_pem)

    key = cert.public_key()
    assert isinstance(key, ec.EllipticCurvePublicKey)
    assert isinstance(key.curve, ec.SECP256R1)
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical
    assert usage.value.content_commitment  # nonRepudiation
    assert usage.value.digital_signature
    assert not usage.value.key_cert_sign
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION in eku
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == ca_ski.digest
    cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == CHAIR
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == ORG
    assert cert.issuer == ca_cert.subject
    cert.verify_directly_issued_by(ca_cert)
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert timedelta(days=700) < lifetime < timedelta(days=740)
    assert credential.encrypted_key_pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    # Serials are random, not sequential.
    serials = {
        x509.load_pem_x509_certificate(c.cert_pem).serial_number for c in signed.signers.values()
    }
    assert len(serials) == 3 and min(serials) > 2**64


def test_root_ca_profile_and_fingerprint(org_ca: OrganisationCA) -> None:
    cert = x509.load_pem_x509_certificate(org_ca.cert_pem)
    assert cert.subject == cert.issuer
    cert.verify_directly_issued_by(cert)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == (
        f"{ORG} Klubba rot-CA"
    )
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == ORG
    assert cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "SE"
    basic = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert basic.critical and basic.value.ca
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and usage.crl_sign
    assert isinstance(cert.public_key().curve, ec.SECP256R1)  # type: ignore[union-attr]
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert timedelta(days=3640) < lifetime < timedelta(days=3670)
    assert org_ca.encrypted_key_pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")

    fingerprint = fingerprint_sha256(org_ca.cert_pem)
    assert re.fullmatch(r"([0-9A-F]{2}:){31}[0-9A-F]{2}", fingerprint)
    assert fingerprint.replace(":", "").lower() == cert.fingerprint(hashes.SHA256()).hex()
    assert org_ca.fingerprint == fingerprint


def test_ca_files_round_trip_and_are_never_overwritten(org_ca: OrganisationCA, tmp_path) -> None:
    directory = tmp_path / "signing"
    save_ca(org_ca, directory=directory)
    assert (directory / "ca-key.pem").stat().st_mode & 0o777 == 0o600
    assert load_ca(directory=directory) == org_ca
    with pytest.raises(FileExistsError):
        save_ca(create_root_ca(organisation=ORG, passphrase=CA_PASS), directory=directory)
    assert load_ca(directory=directory) == org_ca


# --- workflow guards ------------------------------------------------------------------------


def test_second_certification_and_resigning_a_field_are_refused(signed: Signed) -> None:
    with pytest.raises(SigningFailed):
        sign_pdf(
            signed.stages[1],
            credential=signed.signers[ADJ1],
            passphrase=KEY_PASS,
            ca_cert_pem=signed.ca.cert_pem,
            field_name="Justerare1",
            certify=True,
        )
    with pytest.raises(SigningFailed):
        sign_pdf(
            signed.final,
            credential=signed.signers[ADJ1],
            passphrase=KEY_PASS,
            ca_cert_pem=signed.ca.cert_pem,
            field_name="Ordforande",
        )


def test_signing_time_outside_certificate_validity_is_refused(signed: Signed) -> None:
    with pytest.raises(SigningFailed):
        sign_pdf(
            minutes_pdf(),
            credential=signed.signers[CHAIR],
            passphrase=KEY_PASS,
            ca_cert_pem=signed.ca.cert_pem,
            field_name="Ordforande",
            signing_time=datetime(2001, 1, 1, tzinfo=UTC),
        )


# --- hostile input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"not a pdf at all",
        b"%PDF-1.7\n",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        bytes(range(256)) * 8,
    ],
)
def test_garbage_never_raises(signed: Signed, garbage: bytes) -> None:
    assert verify_pdf(garbage, trust_root_pem=signed.ca.cert_pem) == []
    assert pdfsig_report(garbage) == []


def test_damaged_signed_pdf_never_raises_and_is_never_valid(signed: Signed) -> None:
    final = signed.final
    damaged = [
        final[: len(final) // 2],  # truncated
        final[:-40],  # trailer gone
        final.replace(b"startxref", b"startxreX"),
        final.replace(b"/ByteRange", b"/ByteRangX"),
        # Zero the start of every CMS blob (hex is written in upper case).
        re.sub(rb"/Contents <[0-9A-Fa-f]{20}", b"/Contents <" + b"0" * 20, final),
    ]
    assert all(data != final for data in damaged)
    for data in damaged:
        reports = verify_pdf(data, trust_root_pem=signed.ca.cert_pem)
        assert isinstance(reports, list)
        assert not any(r.valid for r in reports)
        assert not all_valid(reports, expected=3)


def test_one_unparsable_signature_is_reported_not_hidden(signed: Signed) -> None:
    # Corrupt only the chair's CMS blob: the document must still show three signatures,
    # the broken one with an error, instead of looking unsigned.
    chair_rev = signed.final[: len(signed.stages[1])]
    broken_chair = re.sub(rb"/Contents <[0-9A-Fa-f]{20}", b"/Contents <" + b"0" * 20, chair_rev)
    data = broken_chair + signed.final[len(chair_rev) :]

    reports = verify_pdf(data, trust_root_pem=signed.ca.cert_pem)
    assert sorted(r.field_name for r in reports) == sorted(FIELDS)
    broken = [r for r in reports if r.field_name == FIELDS[0]]
    assert broken[0].error and not broken[0].valid
    # The adjusters' byte ranges include the chair's blob, so they are broken too.
    assert not any(r.intact for r in reports)


def test_verify_pdf_or_raise_tells_unreadable_from_unsigned(signed: Signed) -> None:
    with pytest.raises(PdfUnreadable):
        verify_pdf_or_raise(b"not a pdf", trust_root_pem=signed.ca.cert_pem)
    assert verify_pdf_or_raise(minutes_pdf(), trust_root_pem=signed.ca.cert_pem) == []


def test_trust_depends_on_validation_time(signed: Signed) -> None:
    # Without a timestamp authority, trust is judged at validation_time (default: now).
    # Once the 2-year signer certificates expire, old minutes need the signing time.
    later = datetime.now(UTC) + timedelta(days=3 * 365)
    expired = verify_pdf(signed.final, trust_root_pem=signed.ca.cert_pem, validation_time=later)
    assert [r.intact for r in expired] == [True, True, True]
    assert not any(r.trusted for r in expired)
    at_signing = verify_pdf(
        signed.final,
        trust_root_pem=signed.ca.cert_pem,
        validation_time=signed.chair_time,
    )
    assert all(r.trusted and r.valid for r in at_signing)


def test_passphrase_from_settings(settings) -> None:
    settings.KLUBBA = {**settings.KLUBBA, "SIGNING_KEY_PASSPHRASE": "from settings"}
    assert passphrase_from_settings() == "from settings"
    settings.KLUBBA = {**settings.KLUBBA, "SIGNING_KEY_PASSPHRASE": ""}
    with pytest.raises(ConfigurationError):
        passphrase_from_settings()


def test_signing_garbage_raises_pdf_unreadable(signed: Signed) -> None:
    with pytest.raises(PdfUnreadable):
        sign_pdf(
            b"not a pdf",
            credential=signed.signers[CHAIR],
            passphrase=KEY_PASS,
            ca_cert_pem=signed.ca.cert_pem,
            field_name="Ordforande",
            certify=True,
        )
