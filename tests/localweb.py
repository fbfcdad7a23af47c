"""A local "internet" for tests: any host name on ports 80 and 443 is answered from 127.0.0.1.

Tests describe the sites they need inline (host -> path -> content); the shared server serves
them over HTTP and HTTPS with certificates from a test CA, and Chromium plus the Python client
reach them through wildcard --connect-to rules. Nothing leaves the machine.
"""

from __future__ import annotations

from pathlib import Path

from scanner.demo.server import VirtualHostServer

PAGE = """<!doctype html>
<html{lang}><head><meta charset="utf-8"><title>{title}</title>{head}</head>
<body><main>{body}</main></body></html>"""


def page(body: str = "", *, title: str = "Seite", lang: str | None = "de", head: str = "") -> str:
    """A small valid HTML page; ``lang=None`` leaves the lang attribute out."""
    lang_attribute = "" if lang is None else f' lang="{lang}"'
    return PAGE.format(lang=lang_attribute, title=title, head=head, body=body)


class LocalWeb:
    def __init__(self, root: Path, server: VirtualHostServer) -> None:
        self.root = root
        self.server = server

    def site(self, host: str, files: dict[str, str | bytes], *, host_toml: str = "") -> str:
        """Create ``host`` with ``files`` (path -> content; "/" is index.html); returns its https origin."""
        host_dir = self.root / host
        if host_dir.exists():
            raise ValueError(f"{host} exists already: every test uses host names of its own")
        self._write_files(host_dir, files)
        host_dir.mkdir(parents=True, exist_ok=True)
        if host_toml:
            (host_dir / "_host.toml").write_text(host_toml, encoding="utf-8")
        return f"https://{host}"

    def rewrite(self, host: str, files: dict[str, str | bytes]) -> None:
        """Replace the files of an existing ``host`` (its _host.toml stays): a site changing between scans."""
        host_dir = self.root / host
        if not host_dir.is_dir():
            raise ValueError(f"{host} does not exist yet: create it with site()")
        for path in sorted(host_dir.rglob("*"), reverse=True):
            if path.name == "_host.toml":
                continue
            path.rmdir() if path.is_dir() else path.unlink()
        self._write_files(host_dir, files)

    @staticmethod
    def _write_files(host_dir: Path, files: dict[str, str | bytes]) -> None:
        for path, content in files.items():
            relative = path.lstrip("/")
            if not relative or relative.endswith("/"):
                relative += "index.html"
            target = host_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
