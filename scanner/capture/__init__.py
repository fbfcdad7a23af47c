"""The browser side of a scan: launching Chromium, visiting one page, and the collectors that read it."""
