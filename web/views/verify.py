"""Public verification (no login): upload a signed PDF to check it, and download the
organisation's root certificate to check it yourself.

The checks are in ``minutes.public.verify_upload``; this parses the upload and renders.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from minutes import ca_store, public
from minutes.signing import InvalidKeyMaterial


def _root() -> tuple[bytes | None, str]:
    try:
        return ca_store.organisation_ca().cert_pem, ca_store.root_fingerprint()
    except InvalidKeyMaterial:
        return None, ""


def _verify_upload(request: HttpRequest) -> tuple[dict[str, Any], int]:
    """Parse the upload and check it; readable errors, never a traceback."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    too_large = {"error": _("The file is too large (at most 10 MB).")}
    # Refuse an oversized body before Django parses (and spools) the upload.
    if length > public.MAX_UPLOAD_BYTES + 64 * 1024:
        return too_large, 413
    upload = request.FILES.get("pdf")
    if upload is None:
        return {"error": _("Choose a PDF file to verify.")}, 400
    if upload.size and upload.size > public.MAX_UPLOAD_BYTES:
        return too_large, 413
    try:
        result = public.verify_upload(upload.read(public.MAX_UPLOAD_BYTES + 1))
    except public.VerificationRefused as exc:
        return {"error": exc.message}, 400
    return {"result": result, "filename": upload.name}, 200


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    root_pem, fingerprint = _root()
    context: dict[str, Any] = {"fingerprint": fingerprint, "has_root": root_pem is not None,
                               "max_mb": public.MAX_UPLOAD_BYTES // (1024 * 1024)}
    status = 200
    if request.method == "POST":
        found, status = _verify_upload(request)
        context.update(found)
    return render(request, "public/verify.html", context, status=status)


@require_GET
def root_pem(request: HttpRequest) -> HttpResponse:
    pem, _fp = _root()
    if pem is None:
        return HttpResponseBadRequest(_("No signing root has been created yet."),
                                      content_type="text/plain; charset=utf-8")
    response = HttpResponse(pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="klubba-rot-ca.pem"'
    return response
