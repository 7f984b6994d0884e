#!/usr/bin/env python3
"""lc_line.py PORT COMMAND...: the host's end of ns_lc_test's line (tests/qemu/ns_lc_test.c)
through `smrun --port PORT`: sends each command (T, L, P or R, as ns_lc_test.c reads them)
once the answer to the one before has come, and writes every line the board sends to standard
output. After R it waits for the next boot's "ready" before the next command (a byte sent
into a board that is resetting could be taken by its UART and lost with it). It ends when the
last command is answered and the board has closed the line (P, R: smrun stops or the board
stops booting), or fails (status 1) when an answer does not come within the timeout.
"""
import socket
import sys
import time

TIMEOUT = 120


def main():
    port, commands = sys.argv[1], sys.argv[2:]
    s = socket.socket(socket.AF_UNIX)
    deadline = time.monotonic() + 10
    while True:
        try:
            s.connect(port)
            break
        except OSError:
            if time.monotonic() > deadline:
                print(f"lc_line: cannot connect to {port}", file=sys.stderr)
                return 1
            time.sleep(0.05)
    buf = b""
    closed = False

    def line():
        """The next whole line from the board, or None once it closed the line."""
        nonlocal buf, closed
        end = time.monotonic() + TIMEOUT
        while b"\n" not in buf:
            if closed:
                return None
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError
            s.settimeout(left)
            data = s.recv(4096)
            if not data:
                closed = True
            buf += data
        text, buf = buf.split(b"\n", 1)
        text = text.decode("ascii", "replace").rstrip("\r")
        print(text, flush=True)
        return text

    def wait_for(*prefixes):
        while True:
            t = line()
            if t is None or t.startswith(prefixes):
                return t

    answers = {"T": ("lc_test: token ",), "L": ("lc_test: status ",),
               "P": ("lc_test: ",), "R": ("lc_test: ",)}
    try:
        for i, cmd in enumerate(commands):
            s.sendall(cmd.encode("ascii") + b"\n")
            got = wait_for(*answers[cmd[0]], "lc_test: bad line")
            if got is None:
                print(f"lc_line: the line closed before the answer to {cmd[:12]}",
                      file=sys.stderr)
                return 1
            if cmd == "R" and i + 1 < len(commands):
                if wait_for("lc_test: ready") is None:
                    print("lc_line: no boot after the reset", file=sys.stderr)
                    return 1
        while line() is not None:
            pass
    except (TimeoutError, socket.timeout):
        print(f"lc_line: no answer within {TIMEOUT} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
