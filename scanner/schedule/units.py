"""``govscan schedule --print-cron / --print-systemd``: the same schedule, run by the operating system.

Each scheduled target becomes one cron line or one systemd timer with its service, running
``govscan scan --target NAME --resume``: a run cut short is continued by the next one, and a run
never starts while the previous scan of the same target is still going (cron: ``flock -n``;
systemd: a oneshot service is not started twice). systemd's ``Persistent=true`` catches up a slot
missed while the machine was off once, as ``govscan schedule`` does.
"""

from __future__ import annotations

import re
import shlex
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from scanner.config.targets import TargetConfig
from scanner.net.network import NetworkSettings
from scanner.schedule.cron import systemd_calendars
from scanner.store.db import normalise_db_url

GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


@dataclass(frozen=True)
class ScanCommand:
    """What the operating system runs for one target: the same ``govscan scan`` a person would."""

    targets_file: Path
    db_url: str
    network: NetworkSettings

    def arguments(self, target: TargetConfig) -> list[str]:
        govscan = Path(sys.executable).with_name("govscan")
        arguments = [str(govscan) if govscan.exists() else "govscan", "scan"]
        arguments += ["--targets", str(self.targets_file.resolve()), "--target", target.name]
        arguments += ["--db", absolute_db_url(self.db_url), "--resume", "--quiet"]
        for rule in self.network.connect_to:
            arguments += ["--connect-to", str(rule)]
        if self.network.ca_bundle:
            arguments += ["--ca-bundle", str(self.network.ca_bundle)]
        for server in self.network.dns_servers:
            arguments += ["--dns-server", server]
        return arguments


def absolute_db_url(db_url: str) -> str:
    """cron and systemd start in another directory: a relative SQLite path must not move."""
    url = normalise_db_url(db_url)
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url[len(prefix) :].startswith("/"):
        return prefix + str(Path(url[len(prefix) :]).resolve())
    return url


def unit_names(targets: list[TargetConfig]) -> dict[str, str]:
    """A readable, unique, file-name-safe name per target: "Landkreis Märkisch-Oderland" -> ..."""
    names: dict[str, str] = {}
    for target in targets:
        ascii_name = unicodedata.normalize("NFKD", target.name.translate(GERMAN_LETTERS))
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.encode("ascii", "ignore").decode().lower()).strip("-")
        slug = slug or "ziel"
        unique, number = slug, 2
        while unique in names.values():
            unique, number = f"{slug}-{number}", number + 1
        names[target.name] = unique
    return names


def crontab(targets: list[TargetConfig], command: ScanCommand, zone_name: str) -> str:
    lines = [
        f"# govscan: scheduled scans of {command.targets_file.resolve()} (add with 'crontab -e').",
        f"# Times are in {zone_name}: cronie honours CRON_TZ; with another cron, run it in that zone.",
        "# flock -n skips a run while the previous scan of the same target is still going.",
        f"CRON_TZ={zone_name}",
    ]
    for target, name in zip(targets, unit_names(targets).values(), strict=True):
        # cron turns an unescaped % into a line break
        shell = shlex.join(command.arguments(target)).replace("%", r"\%")
        lines += [f"# {target.name}", f"{target.schedule} flock -n /tmp/govscan-{name}.lock {shell}"]
    return "\n".join(lines) + "\n"


def systemd_units(targets: list[TargetConfig], command: ScanCommand, zone_name: str) -> dict[str, str]:
    """File name -> content: a oneshot service and a timer per target."""
    units: dict[str, str] = {}
    for target, name in zip(targets, unit_names(targets).values(), strict=True):
        calendars = "\n".join(
            f"OnCalendar={calendar}" for calendar in systemd_calendars(target.schedule, zone_name)
        )
        units[f"govscan-scan-{name}.service"] = f"""[Unit]
Description=govscan: scan of {_unit_text(target.name)}
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart={" ".join(_systemd_quote(argument) for argument in command.arguments(target))}
# Exit code 1: the site could not be tested; its failure class is stored, the unit did its job.
SuccessExitStatus=1
"""
        units[f"govscan-scan-{name}.timer"] = f"""[Unit]
Description=govscan: schedule of {_unit_text(target.name)} ({_unit_text(target.schedule or "")})

[Timer]
{calendars}
# A slot missed while the machine was off runs once when it is back.
Persistent=true

[Install]
WantedBy=timers.target
"""
    return units


def _unit_text(text: str) -> str:
    return text.replace("%", "%%")


def _systemd_quote(argument: str) -> str:
    """systemd's ExecStart= splits on spaces, expands %-specifiers and $VARIABLES."""
    if re.fullmatch(r"[A-Za-z0-9_@+=:,./-]+", argument):
        return argument
    escaped = argument.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    return f'"{escaped}"'
