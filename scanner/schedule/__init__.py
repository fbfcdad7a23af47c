"""Scans on a timetable: cron lines per target, run by `govscan schedule` or by the OS (systemd, cron)."""
