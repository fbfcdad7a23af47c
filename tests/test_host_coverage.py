"""Every first-party host the browser contacted gets the host checks, or is listed as not tested.

A portal whose online forms live on a host shown only in an iframe, whose files come from a host
that serves no page, and whose beacons go to a third: all three are "us", all three get TLS, the
header grade, security.txt and the HTTP→HTTPS check, and the report lists each with its role.
"""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlmodel import select

from reports.html import render_scan_report
from scanner.store.db import session
from scanner.store.models import HostResult
from scanner.store.report_queries import first_party_host_roles

from conftest import make_target
from localweb import LocalWeb, page

PROBES = {"http-redirect", "http-headers", "security-txt", "tls"}
# Once per registrable domain; the test network maps every host and names no DNS server.
DOMAIN_PROBES = dict.fromkeys(("caa", "dnssec", "mail-policy", "smtp-tls"), "dns_not_asked")


def portal(local_web: LocalWeb, domain: str) -> str:
    """www.<domain> with a form in a frame from formulare.<domain> and an image from dateien.<domain>."""
    local_web.site(f"formulare.{domain}", {"/antrag": page("<form><label>Name <input></label></form>")})
    local_web.site(f"dateien.{domain}", {"/wappen.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>'})
    body = (
        f'<img src="https://dateien.{domain}/wappen.svg" alt="Wappen">'
        f'<iframe src="https://formulare.{domain}/antrag" title="Antrag"></iframe>'
    )
    return local_web.site(f"www.{domain}", {"/": page(body)})


def probed(engine, scan_id: int) -> dict[str, dict[str, str | None]]:
    with session(engine) as db:
        rows = db.exec(select(HostResult).where(HostResult.scan_id == scan_id)).all()
    hosts: dict[str, dict[str, str | None]] = {}
    for row in rows:
        hosts.setdefault(row.host, {})[row.probe] = None if row.ok else row.failure_class
    return hosts


async def test_hosts_of_frames_and_files_get_the_host_checks(local_web: LocalWeb, run_scan, engine, tmp_path):
    origin = portal(local_web, "hostabdeckung.de")
    outcome = await run_scan(make_target("Abdeckung", [origin + "/"], ["hostabdeckung.de"]))

    hosts = probed(engine, outcome.scan_id)
    assert hosts.pop("hostabdeckung.de") == DOMAIN_PROBES
    expected = {f"{name}.hostabdeckung.de" for name in ("www", "formulare", "dateien")}
    assert set(hosts) == expected
    for host in expected:
        assert hosts[host] == dict.fromkeys(PROBES), host  # every probe ran and succeeded
    with session(engine) as db:
        roles = first_party_host_roles(db, outcome.scan_id)
    assert roles == {
        "dateien.hostabdeckung.de": "requests",
        "formulare.hostabdeckung.de": "frames",
        "www.hostabdeckung.de": "pages",
    }

    report = render_scan_report(engine, outcome.scan_id, tmp_path)
    soup = BeautifulSoup(report.read_text(encoding="utf-8"), "lxml")
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in soup.select("#coverage-hosts tbody tr")
    ]
    frame_rows = [row for row in rows if row[0] == "formulare.hostabdeckung.de"]
    assert len(frame_rows) == len(PROBES) and all(row[1] == "nur Frames" for row in frame_rows)
    assert all(row[4] == "durchgeführt" for row in frame_rows)
    grades = soup.select_one("#security").get_text(" ", strip=True)
    assert "formulare.hostabdeckung.de" in grades and "dateien.hostabdeckung.de" in grades


async def test_hosts_beyond_the_limit_are_listed_as_not_tested(
    local_web: LocalWeb, run_scan, engine, tmp_path
):
    origin = portal(local_web, "hostgrenze.de")
    target = make_target("Grenze", [origin + "/"], ["hostgrenze.de"], crawl={"max_probed_hosts": 1})
    outcome = await run_scan(target)

    hosts = probed(engine, outcome.scan_id)
    assert hosts["www.hostgrenze.de"] == dict.fromkeys(PROBES)  # the page host, contacted first
    assert hosts["hostgrenze.de"] == DOMAIN_PROBES  # the domain of the hosts within the limit
    for host in ("formulare.hostgrenze.de", "dateien.hostgrenze.de"):
        assert hosts[host] == dict.fromkeys(PROBES, "host_limit"), host

    report = render_scan_report(engine, outcome.scan_id, tmp_path)
    soup = BeautifulSoup(report.read_text(encoding="utf-8"), "lxml")
    hosts_text = soup.select_one("#coverage-hosts").get_text(" ", strip=True)
    assert "Höchstzahl geprüfter Hosts erreicht (max_probed_hosts) (host_limit)" in hosts_text
    intro = soup.select_one("#coverage-hosts").find_previous("p").get_text(" ", strip=True)
    assert (
        intro.startswith("3 erstparteiliche Hosts")
        and f"{len(PROBES) * 2 + len(DOMAIN_PROBES)} nicht getestet" in intro
    )
