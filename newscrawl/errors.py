"""Exit codes of the `newscrawl` command and the errors that carry a message to them.

Commands raise CommandError (or UsageError) with a sentence for the user; `newscrawl.cli.main`
is the one place that turns any error into one line on stderr and an exit code. README,
"Errors and exit codes", lists the codes; tests/test_cli_errors.py keeps the two in step.
"""

EXIT_OK = 0
EXIT_FAILED = 1        # well formed, but it could not be done: files, archive, input, port, disk
EXIT_USAGE = 2         # the command line itself is wrong (argparse's own code); nothing was done
EXIT_INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as shells report it

EXIT_CODES = (EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED)


class CommandError(Exception):
    """A failure the user can act on; the message is the whole report (exit 1)."""

    exit_code = EXIT_FAILED


class UsageError(CommandError):
    """An option or argument that cannot work, found before anything was read or written (exit 2)."""

    exit_code = EXIT_USAGE


def describe_os_error(error: OSError) -> str:
    """"PATH: reason" rather than Python's "[Errno 2] No such file or directory: 'PATH'"."""
    reason = error.strerror or str(error) or type(error).__name__
    names = [str(name) for name in (error.filename, error.filename2) if name is not None]
    return ": ".join([*names, reason])


def one_line(text: str) -> str:
    """A message as one line: an error report never spans several."""
    return " ".join(part.strip() for part in str(text).splitlines() if part.strip())
