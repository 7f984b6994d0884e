/*
 * lc_probe.h: the call types of the test partition TEST_LC_PROBE, shared by the partition and
 * the host test (tests/unit/test_lc_core.c). Each call hands the core a lifecycle request
 * (sm_lifecycle_move, sm/sm_device.h, the attestation partition's call) from a buffer of the
 * partition's choosing; the reply is the core's status.
 */
#ifndef LC_PROBE_H
#define LC_PROBE_H

enum {
    LC_PROBE_SEND = 1,  /* in[0]: the bytes, copied into the partition's own buffer, sent as they
                         * are (any length up to LC_PROBE_BUF) */
    LC_PROBE_NULL = 2,  /* a request of 92 bytes at address 0: the partition must be stopped */
    LC_PROBE_WRAP = 3,  /* 92 bytes from an address whose range wraps: stopped */
    LC_PROBE_EMPTY = 4, /* no buffer, 0 bytes: a request of the wrong size, not an error */
};
#define LC_PROBE_BUF 128u

#endif /* LC_PROBE_H */
