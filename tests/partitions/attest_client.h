/*
 * attest_client.h: the call types of the test partition TEST_ATTEST_CLIENT, shared by the
 * partition, the host test (tests/unit/test_attest.c) and the NS test application
 * (tests/qemu/ns_attest_test.c).
 */
#ifndef ATTEST_CLIENT_H
#define ATTEST_CLIENT_H

enum {
    ATTEST_CLIENT_TOKEN = 1,     /* in[0] the challenge (any size), in[1] uint32 token buffer size
                                  * (at most ATTEST_CLIENT_BUF; 0 is passed as 0), out[0] the token;
                                  * replies with psa_initial_attest_get_token's status */
    ATTEST_CLIENT_SIZE = 2,      /* in[0] uint32 challenge size, out[0] uint32 token size; replies
                                  * with psa_initial_attest_get_token_size's status */
    ATTEST_CLIENT_SIGN = 3,      /* calls sm_iak_sign: the partition must be stopped */
    ATTEST_CLIENT_IDENTITY = 4,  /* calls sm_attest_identity: the partition must be stopped */
    ATTEST_CLIENT_READ_OTP = 5,  /* reads the IAK in the OTP area (board): must be stopped */
    ATTEST_CLIENT_READ_CORE = 6, /* reads the core's RAM (board): must be stopped */
    ATTEST_CLIENT_LIFECYCLE = 7, /* replies with psa_rot_lifecycle_state() (psa/lifecycle.h) */
};
#define ATTEST_CLIENT_BUF 1280u

#endif /* ATTEST_CLIENT_H */
