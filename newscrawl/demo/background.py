"""One way to run a local server for the length of a with-block (tests, benches): its own thread."""

import contextlib
import threading


@contextlib.contextmanager
def in_background(server, name: str, poll_interval: float = 0.5):
    """serve_forever in a daemon thread; shut down, closed and joined on leaving. Yields the server.
    A shorter poll_interval makes shutdown quicker (tests that start many servers)."""
    thread = threading.Thread(target=server.serve_forever, args=(poll_interval,), name=name, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def serve_until_interrupted(server) -> None:
    """Serve in the foreground (the serve-demo commands) until Ctrl-C; close the socket either way."""
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
