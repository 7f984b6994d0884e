/*
 * fwu_client.h: the call types of the test partition TEST_FWU_CLIENT, shared by the partition
 * and the host test (tests/unit/test_fwu.c). Each call is one PSA Firmware Update function made
 * by the partition; the reply is its status.
 */
#ifndef FWU_CLIENT_H
#define FWU_CLIENT_H

#include <stdint.h>

/* in[0] of every call. */
struct fwu_client_args {
    uint32_t component;
    uint32_t offset;
    int32_t error;
};

enum {
    FWU_CLIENT_QUERY = 1, /* out[0] psa_fwu_component_info_t */
    FWU_CLIENT_START = 2, /* in[1] the manifest (may be empty) */
    FWU_CLIENT_WRITE = 3, /* in[1] the block (at most FWU_CLIENT_BUF bytes) */
    FWU_CLIENT_FINISH = 4,
    FWU_CLIENT_CANCEL = 5,
    FWU_CLIENT_CLEAN = 6,
    FWU_CLIENT_INSTALL = 7,
    FWU_CLIENT_REBOOT = 8, /* psa_fwu_request_reboot */
    FWU_CLIENT_REJECT = 9,
    FWU_CLIENT_ACCEPT = 10,
    FWU_CLIENT_DEVICE = 11, /* calls sm_fwu_slot: the partition must be stopped */
};
#define FWU_CLIENT_BUF 512u

#endif /* FWU_CLIENT_H */
