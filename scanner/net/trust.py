"""An authority's own CA (``--ca-bundle``), trusted identically by Chromium and by Python clients.

Python clients get an SSL context with the system roots plus the bundle. Chromium on Linux reads
locally added roots from the NSS database in ``$HOME/.pki/nssdb``; we build one in a private
temporary HOME per browser launch with NSS's ``certutil`` (Debian: libnss3-tools), so the browser
really verifies the chain instead of ignoring certificate errors.
"""

from __future__ import annotations

import re
import shutil
import ssl
import subprocess
import tempfile
from pathlib import Path

PEM_CERTIFICATE = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


class TrustStoreError(RuntimeError):
    """The machine cannot build a trust store (e.g. certutil is missing)."""


class CaBundleError(TrustStoreError):
    """The CA bundle file itself is unusable: bad input."""


def read_ca_bundle(path: Path) -> list[str]:
    """The PEM certificates in a bundle file; a clear error when there are none."""
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except OSError as error:
        raise CaBundleError(f"{path}: cannot read the CA bundle ({error.strerror})") from error
    certificates = PEM_CERTIFICATE.findall(text)
    if not certificates:
        raise CaBundleError(
            f"{path}: no PEM certificate found (expected '-----BEGIN CERTIFICATE-----' blocks)"
        )
    return certificates


def client_ssl_context(ca_bundle: Path | None) -> ssl.SSLContext:
    """System roots, plus the authority's CA when one is given."""
    context = ssl.create_default_context()
    if ca_bundle is not None:
        context.load_verify_locations(cadata="\n".join(read_ca_bundle(ca_bundle)))
    return context


def find_certutil() -> str:
    certutil = shutil.which("certutil")
    if certutil is None:
        raise TrustStoreError(
            "--ca-bundle needs NSS's certutil to make Chromium trust the CA: "
            "install it with 'apt install libnss3-tools' (Debian/Ubuntu) or 'dnf install nss-tools'"
        )
    return certutil


def make_chromium_home(ca_bundle: Path) -> Path:
    """A temporary HOME whose NSS database trusts the bundle's certificates for TLS servers.

    The caller removes the directory when the browser has exited.
    """
    certutil = find_certutil()
    home = Path(tempfile.mkdtemp(prefix="govscan-chromium-home-"))
    database = home / ".pki" / "nssdb"
    database.mkdir(parents=True)
    try:
        _run([certutil, "-N", "-d", f"sql:{database}", "--empty-password"])
        for index, pem in enumerate(read_ca_bundle(ca_bundle)):
            certificate_file = home / f"ca-{index}.pem"
            certificate_file.write_text(pem + "\n", encoding="ascii")
            # "C,," = trusted CA for issuing TLS server certificates (not for mail or code signing).
            _run(
                [
                    certutil,
                    "-A",
                    "-d",
                    f"sql:{database}",
                    "-n",
                    f"govscan-ca-{index}",
                    "-t",
                    "C,,",
                    "-i",
                    str(certificate_file),
                ]
            )
    except BaseException:
        shutil.rmtree(home, ignore_errors=True)
        raise
    return home


def _run(command: list[str]) -> None:
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise TrustStoreError(
            f"{' '.join(command[:2])} failed: {completed.stderr.strip() or completed.stdout.strip()}"
        )
