"""moto_server, answering one request at a time.

moto's in-memory backends are not thread-safe: under load, concurrent
UpdateItem calls with ADD can lose increments, which real DynamoDB never does.
Serialising requests keeps moto's answers faithful; connections are still
accepted concurrently. Usage: python3 moto_serial.py HOST PORT
"""
import os
import signal
import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("MOTO_PORT", str(port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    backend = DomainDispatcherApplication(create_backend_app)
    lock = threading.Lock()

    def one_at_a_time(environ, start_response):
        with lock:
            return list(backend(environ, start_response))

    run_simple(host, port, one_at_a_time, threaded=True)


if __name__ == "__main__":
    main()
