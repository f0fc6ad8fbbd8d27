"""Credentials never reach the archive or a log: `user:pass@` in a URL becomes `user:***@`."""

import logging
import re
from collections.abc import Mapping

# scheme://userinfo@ — userinfo is everything up to the first "@" before the host's "/", "?" or "#".
_USERINFO = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:/?#@\s]*)(?::[^/?#@\s]*)?@",
                       re.IGNORECASE)


# The same without a scheme, as errors quote a netloc ("invalid hostname: user:pass@host").
_BARE_USERINFO = re.compile(r"(?<![\w/:@.%-])(?P<user>[\w.%-]+):[^\s/?#@:]+@(?=[\w\[])")


def redact(text):
    """text with the password of every URL in it replaced by ***; anything else as given."""
    if not isinstance(text, str) or "@" not in text:
        return text
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)
    return _BARE_USERINFO.sub(lambda m: f"{m['user']}:***@", text)


def redact_values(values):
    """A copy of a mapping (or list) whose strings, at any depth, are redacted."""
    if isinstance(values, Mapping):
        return {key: redact_values(value) for key, value in values.items()}
    if isinstance(values, (list, tuple)):
        return [redact_values(value) for value in values]
    return redact(values)


class RedactingFilter(logging.Filter):
    """A log handler's filter that redacts the finished message (a redirect's target, a link)."""

    def filter(self, record):
        message = record.getMessage()
        if "@" in message:
            redacted = redact(message)
            if redacted != message:
                record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            # The traceback quotes the URL too (e.g. "invalid hostname: user:pass@host").
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and "@" in record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def redact_logs(logger=None):
    """Redact everything the handlers of logger (the root one by default) write, from now on."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
