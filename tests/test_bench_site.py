"""The benchmark's generated portal has the shapes it promises (no browser, no server)."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf

from benchmarks.portal_site import (
    MAIN_HOST,
    MAP_HOST,
    PDF_NAMES,
    SERVICE_HOST,
    TAG_HOST,
    THIRD_PARTY_HOSTS,
    write_portal,
)

LINK = re.compile(r'href="(/[^"]*)"')


def _pages(root: Path) -> dict[str, str]:
    main = root / MAIN_HOST
    return {
        "/" if path.name == "index.html" else "/" + path.relative_to(main).as_posix(): path.read_text()
        for path in main.rglob("*.html")
    }


def test_generated_portal_has_the_promised_pages_forms_frames_banner_pdfs_and_hosts(tmp_path: Path) -> None:
    portal = write_portal(tmp_path / "site", 20)
    pages = _pages(portal.root)
    assert len(pages) == 20
    every = "".join(pages.values())
    assert all('aria-label="Hauptnavigation"' in html and 'role="search"' in html for html in pages.values())
    assert every.count('method="post"') >= 4  # contact forms
    assert f"https://{SERVICE_HOST}/formular.html" in every  # first-party online form in a frame
    assert f"https://{MAP_HOST}/embed.html" in every  # third-party frame
    assert all("/assets/consent.js" in html for html in pages.values())
    banner = (portal.root / MAIN_HOST / "assets/consent.js").read_text()
    assert "Alle akzeptieren" in banner and "Nur notwendige Cookies" in banner  # German reject on layer one
    assert f"https://{TAG_HOST}/gtag/js" in every  # a tracker before consent
    for name in PDF_NAMES:
        assert f"/dokumente/{name}" in every
        with pikepdf.open(portal.root / MAIN_HOST / "dokumente" / name) as pdf:
            assert len(pdf.pages) == 1
    assert set(THIRD_PARTY_HOSTS) | {MAIN_HOST, SERVICE_HOST} == set(portal.hosts)


def test_every_page_is_reachable_by_links_from_the_start_page(tmp_path: Path) -> None:
    pages = _pages(write_portal(tmp_path / "site", 200).root)
    seen, todo = {"/"}, ["/"]
    while todo:
        for target in LINK.findall(pages[todo.pop()]):
            if target in pages and target not in seen:
                seen.add(target)
                todo.append(target)
    assert seen == set(pages)
