/*
 * fwu_probe.h: the call types of the test partition TEST_FWU_PROBE, shared by the partition and
 * the host test (tests/unit/test_fwu_core.c). Each call is one of the core's firmware update
 * calls (sm/sm_device.h) made by the partition with the arguments in in[0]; the reply is its
 * result (a flash result or a status).
 */
#ifndef FWU_PROBE_H
#define FWU_PROBE_H

#include <stdint.h>

struct fwu_probe_args {
    uint32_t component;
    uint32_t offset;
    uint32_t len;
    uint32_t mark;
    int32_t error;
};

enum {
    FWU_PROBE_READ = 1,    /* out[0] the bytes read (len) */
    FWU_PROBE_PROGRAM = 2, /* in[1] the bytes */
    FWU_PROBE_ERASE = 3,
    FWU_PROBE_BLANK = 4,
    FWU_PROBE_SLOT = 5,   /* out[0] struct sm_fwu_slot */
    FWU_PROBE_VERIFY = 6, /* out[0] struct sm_fwu_image */
    FWU_PROBE_MARK = 7,
    FWU_PROBE_REQUEST = 8,
    FWU_PROBE_CONFIRM = 9,
    FWU_PROBE_AREA_READ = 10, /* sm_flash_read: the area calls without a component */
    FWU_PROBE_BAD_OP = 11,    /* an unknown flash operation: the partition must be stopped */
};
#define FWU_PROBE_BUF 1024u

#endif /* FWU_PROBE_H */
