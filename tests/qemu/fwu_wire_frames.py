#!/usr/bin/env python3
"""fwu_wire_frames.py PORT IMAGE: the NS updater's own rules, one raw frame at a time.

Speaks the update protocol (protocol/sm_update_proto.h, docs/design/serial-frames.md) to the
updater on the emulated board through `smrun --port PORT`, written here again from the
document (the frames' CRC is zlib's), and checks each answer: a request before HELLO, an unknown
and a malformed request, DATA and FINISH before START, a size over the component's maximum,
data past the size, a gap, an unaligned block that is not the last, FINISH before the last byte,
DATA for another component, a repeated START answered the same without being done twice (the
same START with a new sequence number is BAD_STATE), a frame with a bad CRC not answered, then
the whole image to a candidate and CLEAN back to READY; then the whole update, and its REBOOT
sent again reaching the next boot, which refuses it (no session) rather than reboot a second
time before the self-test (one boot later, NS 2 accepted). Prints each check; exit 1 on a
failure.
"""
import socket
import struct
import sys
import time
import zlib

HELLO, START, DATA, FINISH, INSTALL, REBOOT, CLEAN = range(1, 8)
INFO, STATUS = 0x81, 0x82
NS, SM = 2, 1
BY_SERVICE, MALFORMED, NO_SESSION, NOT_STARTED, BOUNDS, INCOMPLETE, UNKNOWN = range(7)
SUCCESS, BAD_STATE, INVALID_ARGUMENT, NOT_SUPPORTED, INSUFFICIENT_DATA = 0, -137, -135, -134, -143
READY, WRITING, CANDIDATE = 0, 1, 2
DATA_MAX = 1008

failures = 0


def frame(ftype, seq, payload=b""):
    head = struct.pack("<BBH", ftype, seq, len(payload))
    return b"\xa5\x5a" + head + payload + struct.pack("<I", zlib.crc32(head + payload))


class Line:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(path)
        self.buf = b""
        self.seq = 0

    def frames(self, until):
        """The frames received by `until` (text between them skipped)."""
        while True:
            i = self.buf.find(b"\xa5\x5a")
            if i >= 0 and len(self.buf) >= i + 6:
                ftype, seq, n = struct.unpack_from("<BBH", self.buf, i + 2)
                if n > 1024:
                    self.buf = self.buf[i + 2:]
                    continue
                if len(self.buf) >= i + 10 + n:
                    body = self.buf[i + 2:i + 6 + n]
                    (crc,) = struct.unpack_from("<I", self.buf, i + 6 + n)
                    self.buf = self.buf[i + 10 + n:]
                    if zlib.crc32(body) == crc:
                        yield ftype, seq, body[4:]
                    continue
            left = until - time.monotonic()
            if left <= 0:
                return
            self.s.settimeout(left)
            try:
                chunk = self.s.recv(4096)
            except socket.timeout:
                return
            if not chunk:
                raise ConnectionError("the port closed")
            self.buf += chunk

    def ask(self, ftype, payload=b"", seq=None, wait=300.0, raw=None):
        """Sends a request until its answer (same sequence number) comes; returns the answer's
        (type, payload), or None after `wait` seconds."""
        if seq is None:
            self.seq = (self.seq + 1) & 0xFF
            seq = self.seq
        data = raw if raw is not None else frame(ftype, seq, payload)
        end = time.monotonic() + wait
        while time.monotonic() < end:
            self.s.sendall(data)
            for rtype, rseq, body in self.frames(min(end, time.monotonic() + 1.0)):
                if rseq == seq:
                    return rtype, body
        return None


def status(answer):
    if answer is None or answer[0] != STATUS or len(answer[1]) != 12:
        return None
    req, comp, state, reason, st, value = struct.unpack("<BBBBiI", answer[1])
    return {"request": req, "component": comp, "state": state, "reason": reason, "status": st,
            "value": value}


def check(what, answer, reason, st, **more):
    global failures
    s = status(answer)
    ok = s is not None and s["reason"] == reason and s["status"] == st and \
        all(s[k] == v for k, v in more.items())
    print(f"frames: {what}: {'ok' if ok else 'FAIL'} ({s})", flush=True)
    failures += 0 if ok else 1
    return s


def comp(c):
    return struct.pack("<B3x", c)


def info(line):
    global failures
    a = line.ask(HELLO)
    if a is None or a[0] != INFO or len(a[1]) < 8:
        print(f"frames: HELLO: FAIL ({a})")
        failures += 1
        return None
    version, count, boot = struct.unpack_from("<BB2xI", a[1])
    comps = {}
    for k in range(count):
        cid, state, err, maj, mnr, patch, build, max_size, flags = \
            struct.unpack_from("<BB2xiBBHIII", a[1], 8 + 24 * k)
        comps[cid] = {"state": state, "version": (maj, mnr, patch, build), "max": max_size}
    print(f"frames: HELLO: version {version}, boot {boot}, {comps}", flush=True)
    return boot, comps


def main():
    global failures
    port, image = sys.argv[1], open(sys.argv[2], "rb").read()
    line = Line(port)
    # Before HELLO (the first answer also says the device is up).
    check("a request before HELLO", line.ask(START, comp(NS) + struct.pack("<I", 16)),
          NO_SESSION, BAD_STATE)
    boot, comps = info(line)
    if comps.get(NS, {}).get("state") != READY:
        print("frames: FAIL: NS is not READY")
        return 1
    check("an unknown request", line.ask(0x09), UNKNOWN, NOT_SUPPORTED)
    check("a reserved byte set", line.ask(START, struct.pack("<BBBBI", NS, 0, 1, 0, 16)),
          MALFORMED, INVALID_ARGUMENT)
    check("a length too short", line.ask(START, comp(NS)), MALFORMED, INVALID_ARGUMENT)
    check("a component out of range", line.ask(FINISH, comp(7)), MALFORMED, INVALID_ARGUMENT)
    check("an unaligned offset", line.ask(DATA, comp(NS) + struct.pack("<I", 8) + bytes(16)),
          MALFORMED, INVALID_ARGUMENT)
    check("DATA before START", line.ask(DATA, comp(NS) + struct.pack("<I", 0) + image[:16]),
          NOT_STARTED, BAD_STATE)
    check("FINISH before START", line.ask(FINISH, comp(NS)), NOT_STARTED, BAD_STATE)
    check("a size over the maximum",
          line.ask(START, comp(NS) + struct.pack("<I", comps[NS]["max"] + 1)), BOUNDS,
          INVALID_ARGUMENT)
    start = comp(NS) + struct.pack("<I", len(image))
    line.seq = (line.seq + 1) & 0xFF
    seq = line.seq
    check("START", line.ask(START, start, seq=seq), BY_SERVICE, SUCCESS, state=WRITING)
    check("the same START again (a repeat)", line.ask(START, start, seq=seq), BY_SERVICE, SUCCESS)
    check("a second START", line.ask(START, start), BY_SERVICE, BAD_STATE, state=WRITING)
    end16 = len(image) // 16 * 16
    check("data past the size", line.ask(DATA, comp(NS) + struct.pack("<I", end16) + bytes(32)),
          BOUNDS, INVALID_ARGUMENT)
    check("a gap", line.ask(DATA, comp(NS) + struct.pack("<I", 2 * DATA_MAX) +
                            image[2 * DATA_MAX:3 * DATA_MAX]), BOUNDS, INVALID_ARGUMENT)
    check("an unaligned block not the last",
          line.ask(DATA, comp(NS) + struct.pack("<I", 0) + image[:100]), BOUNDS, INVALID_ARGUMENT)
    check("DATA for another component",
          line.ask(DATA, comp(SM) + struct.pack("<I", 0) + image[:16]), NOT_STARTED, BAD_STATE)
    check("the first block", line.ask(DATA, comp(NS) + struct.pack("<I", 0) + image[:DATA_MAX]),
          BY_SERVICE, SUCCESS, value=DATA_MAX)
    check("FINISH before the end", line.ask(FINISH, comp(NS)), INCOMPLETE, INSUFFICIENT_DATA)
    # A bad CRC: no answer; the line carries on.
    bad = bytearray(frame(HELLO, 0x77))
    bad[-1] ^= 1
    a = line.ask(HELLO, seq=0x77, raw=bytes(bad), wait=3.0)
    print(f"frames: a bad CRC not answered: {'ok' if a is None else 'FAIL'}", flush=True)
    failures += 0 if a is None else 1
    for off in range(DATA_MAX, len(image), DATA_MAX):
        s = status(line.ask(DATA, comp(NS) + struct.pack("<I", off) + image[off:off + DATA_MAX]))
        if s is None or s["status"] != SUCCESS:
            print(f"frames: DATA at {off}: FAIL ({s})")
            failures += 1
            break
    check("FINISH", line.ask(FINISH, comp(NS)), BY_SERVICE, SUCCESS, state=CANDIDATE,
          value=len(image))
    check("CLEAN of the candidate", line.ask(CLEAN, comp(NS)), BY_SERVICE, SUCCESS, state=READY)
    again = info(line)
    ok = again is not None and again[0] == boot and again[1][NS]["state"] == READY
    print(f"frames: the same boot, NS READY: {'ok' if ok else 'FAIL'}", flush=True)
    failures += 0 if ok else 1
    # The whole update, then a REBOOT sent again (as when its answer is lost): it reaches the
    # next boot, which refuses it (no session) instead of rebooting before the self-test.
    check("START", line.ask(START, start), BY_SERVICE, SUCCESS)
    for off in range(0, len(image), DATA_MAX):
        line.ask(DATA, comp(NS) + struct.pack("<I", off) + image[off:off + DATA_MAX])
    check("FINISH", line.ask(FINISH, comp(NS)), BY_SERVICE, SUCCESS, state=CANDIDATE)
    check("INSTALL", line.ask(INSTALL), BY_SERVICE, 1)  # PSA_SUCCESS_REBOOT
    line.seq = (line.seq + 1) & 0xFF
    reboot = line.seq
    check("REBOOT", line.ask(REBOOT, seq=reboot), BY_SERVICE, SUCCESS)
    check("the same REBOOT in the next boot", line.ask(REBOOT, seq=reboot), NO_SESSION,
          BAD_STATE)
    after = info(line)
    ok = after is not None and after[0] == boot + 1 and \
        after[1][NS]["version"][0] == 2 and after[1][NS]["state"] == READY
    print(f"frames: one reboot, NS 2 accepted: {'ok' if ok else 'FAIL'}", flush=True)
    failures += 0 if ok else 1
    print(f"frames: {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
