"""Scrapy commands that newscrawl refines (enabled by COMMANDS_MODULE)."""
