/*
 * test_sm_random.c: random sequences of client API calls against the SM core on the host
 * library (seeded, so a failure repeats): connects to real and made-up SIDs with any version,
 * calls on open, closed, forged and stateless handles with any type and vector layout, closes.
 * Every result must be one the API allows for that situation, echoed data must come back
 * exactly, nothing outside the output vectors may change, and at the end every connection
 * must be back. The host has no MPU, so vectors are valid memory, NULL, or wrapping.
 *
 * usage: test_sm_random [STEPS] [SEED]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "sm_host.h"
#include "test_services.h"

static uint64_t rng;
static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

#define MAX_OPEN 24
static psa_handle_t open_handles[MAX_OPEN];
static uint32_t open_sids[MAX_OPEN];
static unsigned open_count;
static psa_handle_t closed_handle = 0x00010001;
static uint8_t arena[4096];
static uint8_t guard_copy[4096];

static int fail(const char *what, long step, long value)
{
    fprintf(stderr, "FAIL at step %ld: %s (%ld)\n", step, what, value);
    return 1;
}

static const uint32_t sids[] = {TEST_ECHO_SERVICE_SID, TEST_RELAXED_SID,        TEST_REFUSE_SID,
                                TEST_SECURE_ONLY_SID,  TEST_ECHO_STATELESS_SID, 0xDEAD,
                                TEST_FAULT_SERVICE_SID};

/* A vector: inside the arena, empty, NULL with a length, or wrapping. */
static void pick(uint8_t **base, size_t *len)
{
    uint32_t r = next() % 16;
    size_t off = next() % sizeof(arena);
    if (r == 0) {
        *base = NULL;
        *len = 1 + next() % 64;
    } else if (r == 1) {
        *base = arena + off;
        *len = SIZE_MAX - off;
    } else if (r == 2) {
        *base = arena + off;
        *len = 0;
    } else {
        *base = arena + off;
        size_t room = sizeof(arena) - off;
        *len = room ? 1 + next() % (room < 300 ? room : 300) : 0;
    }
}

int main(int argc, char **argv)
{
    long steps = argc > 1 ? atol(argv[1]) : 200000;
    rng = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x9E3779B97F4A7C15ull;
    sm_host_start();
    for (long step = 0; step < steps; step++) {
        uint32_t op = next() % 10;
        if (op < 2) {
            uint32_t sid = sids[next() % (sizeof(sids) / sizeof(sids[0]))];
            psa_handle_t h = psa_connect(sid, next() % 5);
            if (h > 0) {
                if (open_count == MAX_OPEN) {
                    psa_close(h);
                } else {
                    open_sids[open_count] = sid;
                    open_handles[open_count++] = h;
                }
            } else if (h != PSA_ERROR_PROGRAMMER_ERROR && h != PSA_ERROR_CONNECTION_REFUSED &&
                       h != PSA_ERROR_CONNECTION_BUSY) {
                return fail("psa_connect returned a status it may not", step, h);
            }
        } else if (op < 3 && open_count > 0) {
            unsigned i = next() % open_count;
            psa_close(open_handles[i]);
            closed_handle = open_handles[i];
            open_count--;
            open_handles[i] = open_handles[open_count];
            open_sids[i] = open_sids[open_count];
        } else {
            psa_handle_t h;
            int echo = 0; /* served by TEST_ECHO's call handler */
            uint32_t r = next() % 8;
            if (r < 4 && open_count > 0) {
                unsigned i = next() % open_count;
                h = open_handles[i];
                echo = open_sids[i] == TEST_ECHO_SERVICE_SID || open_sids[i] == TEST_RELAXED_SID;
            } else if (r == 4) {
                h = TEST_ECHO_STATELESS_HANDLE;
                echo = 1;
            } else if (r == 5) {
                h = closed_handle;
            } else {
                h = (psa_handle_t)next();
            }
            int32_t types[] = {ECHO_COPY, ECHO_PARTIAL, ECHO_EMPTY, ECHO_WRITE_SPLIT,
                               -1,        40000,        ECHO_BULK,  77};
            int32_t type = types[next() % 8];
            psa_invec in[5];
            psa_outvec out[5];
            size_t in_len = next() % 5, out_len = next() % 5;
            for (size_t k = 0; k < 5; k++) {
                uint8_t *b;
                pick(&b, &in[k].len);
                in[k].base = b;
                pick(&b, &out[k].len);
                out[k].base = b;
            }
            for (size_t k = 0; k < sizeof(arena); k++) {
                arena[k] = (uint8_t)next();
            }
            memcpy(guard_copy, arena, sizeof(arena));
            psa_status_t s = psa_call(h, type, in, in_len, out, out_len);
            if (s == PSA_ERROR_PROGRAMMER_ERROR || s == PSA_ERROR_SERVICE_FAILURE) {
                /* Refused or failed: nothing may have been written anywhere. */
                if (memcmp(guard_copy, arena, sizeof(arena)) != 0) {
                    return fail("a refused call changed memory", step, s);
                }
                continue;
            }
            if (s < 0 && s != PSA_ERROR_NOT_SUPPORTED) {
                return fail("psa_call returned a status it may not", step, s);
            }
            /* Accepted: only bytes inside the output vectors may differ. */
            for (size_t k = 0; k < sizeof(arena); k++) {
                int inside = 0;
                for (size_t v = 0; v < out_len; v++) {
                    const uint8_t *b = out[v].base;
                    inside |= b != NULL && &arena[k] >= b && &arena[k] < b + out[v].len;
                }
                if (!inside && arena[k] != guard_copy[k]) {
                    return fail("a call wrote outside its output vectors", step, (long)k);
                }
            }
            /* An output may overlap an input (in place): then what the service reads depends on
             * what it wrote before, and only the bounds above are checked. */
            int in_place = 0;
            for (size_t v = 0; v < out_len; v++) {
                for (size_t w = 0; w < in_len; w++) {
                    const uint8_t *o = out[v].base, *i = in[w].base;
                    in_place |= out[v].len && in[w].len && o < i + in[w].len && i < o + out[v].len;
                }
            }
            if (echo && type == ECHO_COPY && !in_place) {
                long total = 0;
                for (size_t v = 0; v < 4 && v < in_len; v++) {
                    size_t n = v < out_len ? (in[v].len < out[v].len ? in[v].len : out[v].len) : 0;
                    if (n && memcmp(out[v].base, guard_copy + ((const uint8_t *)in[v].base - arena),
                                    n)) {
                        return fail("echoed data differs", step, (long)v);
                    }
                    total += (long)n;
                }
                if (total != s) {
                    return fail("echo returned a wrong length", step, s);
                }
            }
        }
    }
    for (unsigned i = 0; i < open_count; i++) {
        psa_close(open_handles[i]);
    }
    if (sm_host_open_connections() != 0) {
        return fail("connections left open", steps, (long)sm_host_open_connections());
    }
    printf("sm_random: %ld random steps, every result allowed, no connection left\n", steps);
    return 0;
}
