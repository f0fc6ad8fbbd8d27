"""scrapyd's application for newscrawl (deploy/scrapyd.conf: `application = ...`): scrapyd's own,
but it refuses to start without credentials.

scrapyd turns basic auth off, with one log line, when `username` or `password` is unset; then
anyone who reaches its port can deploy code and run it. Here an unset credential is a clear
error and a non-zero exit instead (scrapyd reports a ConfigError as its exit message).
"""

import os

MISSING = ("newscrawl's scrapyd.conf refuses to start scrapyd without basic auth: export {names} "
           "(or set username and password in a private copy of scrapyd.conf); see docs/scrapyd.md")


def missing_credentials(config) -> list[str]:
    """The variables to set, read as scrapyd reads them: the environment first, then the config."""
    return [variable for variable, option in (("SCRAPYD_USERNAME", "username"), ("SCRAPYD_PASSWORD", "password"))
            if not (os.getenv(variable) or config.get(option, ""))]


def application(config):
    from scrapyd.app import application as scrapyd_application
    from scrapyd.exceptions import ConfigError

    missing = missing_credentials(config)
    if missing:
        raise ConfigError(MISSING.format(names=" and ".join(missing)))
    return scrapyd_application(config)
