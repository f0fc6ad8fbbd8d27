"""newscrawl: crawl wire-style news sites into a clean, deduplicated SQLite archive."""

__version__ = "0.1.0"
