"""govscan: one crawl, three audits (accessibility, privacy, security) for public-sector websites."""

__version__ = "0.1.0"

PROJECT_URL = "https://github.com/govscan/govscan"
USER_AGENT_TOKEN = "govscan"


def user_agent_suffix() -> str:
    """The part of every User-Agent that identifies us to site operators and robots.txt."""
    return f"{USER_AGENT_TOKEN}/{__version__} (+{PROJECT_URL})"
