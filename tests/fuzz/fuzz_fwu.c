/*
 * fuzz_fwu.c: libFuzzer harness for the firmware update service's request decoding and state
 * machine, through the host SM (partitions SM_FWU and TEST_FWU_CLIENT) on a RAM device whose
 * uRoT, SM, NS and module 0 components exist (fuzz_device.h).
 *
 * Each input is a sequence of calls: the API's ten functions with components, offsets, sizes
 * and data from the input, and raw psa_calls to the service with any type and vector layout.
 * Oracle:
 *   - every status is one the API allows for that call (raw calls: one of the API's, or the
 *     SM's refusal of a request that is not the client library's);
 *   - a model of the specification's state machine predicts each status and the state each
 *     query reports (no image here ever verifies, so finish always fails: WRITING to FAILED);
 *   - a query writes only its output vector (the bytes past it keep their pattern);
 *   - components 7 and up, and modules 1 to 3, do not exist.
 * At the end of each input every component is brought back to READY (cancel, reject, clean),
 * so inputs do not depend on each other.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_device.h"
#include "fwu_ipc.h"
#include "psa/client.h"
#include "psa/update.h"
#include "sm_host.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define COMPONENTS 4u /* uRoT, SM, NS, module 0 */

static uint8_t model[PSA_FWU_COMPONENT_COUNT];
static uint8_t block[PSA_FWU_MAX_WRITE_SIZE + 64];

struct in {
    const uint8_t *p;
    size_t left;
};

static uint8_t byte(struct in *in)
{
    if (in->left == 0) {
        return 0;
    }
    in->left--;
    return *in->p++;
}

static void fail(const char *what, long v)
{
    fprintf(stderr, "fuzz_fwu: %s (%ld)\n", what, v);
    abort();
}

static int exists(uint32_t c)
{
    return c < COMPONENTS;
}

static void expect(psa_status_t got, psa_status_t want, const char *what)
{
    if (got != want) {
        fprintf(stderr, "fuzz_fwu: %s gave %d, the model says %d\n", what, (int)got, (int)want);
        abort();
    }
}

static void check_states(void)
{
    for (uint32_t c = 0; c < 9; c++) {
        psa_fwu_component_info_t info;
        psa_status_t s = psa_fwu_query((psa_fwu_component_t)c, &info);
        if (!exists(c)) {
            expect(s, PSA_ERROR_DOES_NOT_EXIST, "query of an absent component");
            continue;
        }
        expect(s, PSA_SUCCESS, "query");
        if (info.state != model[c]) {
            fail("query reports another state than the model", (long)c * 100 + info.state);
        }
    }
}

static uint32_t in_state(uint8_t state)
{
    uint32_t set = 0;
    for (uint32_t c = 0; c < COMPONENTS; c++) {
        set |= model[c] == state ? 1u << c : 0u;
    }
    return set;
}

/* One per-component call, against the model. */
static void component_call(struct in *in, uint8_t op)
{
    const uint32_t c = byte(in) % 9u;
    const uint8_t st = exists(c) ? model[c] : 0;
    psa_status_t s, want;
    switch (op) {
    case 0: { /* start, with a manifest (refused) or without */
        const size_t m = byte(in) < 200 ? 0 : 1u + byte(in) % 32u;
        s = psa_fwu_start((psa_fwu_component_t)c, m != 0 ? block : NULL, m);
        want = !exists(c)            ? PSA_ERROR_DOES_NOT_EXIST
               : st != PSA_FWU_READY ? PSA_ERROR_BAD_STATE
               : m != 0              ? PSA_ERROR_INVALID_ARGUMENT
                                     : PSA_SUCCESS;
        expect(s, want, "start");
        if (s == PSA_SUCCESS) {
            model[c] = PSA_FWU_WRITING;
        }
        break;
    }
    case 1: { /* write: offsets and sizes around the edges */
        uint32_t off = (uint32_t)byte(in) << 8 | byte(in);
        off = byte(in) < 32 ? off : off & ~15u;
        if (byte(in) > 250) {
            off = 0xFFFFFFF0u;
        }
        size_t n = ((size_t)byte(in) << 5 | byte(in) % 32u) % (PSA_FWU_MAX_WRITE_SIZE + 33u);
        memset(block, byte(in), sizeof(block));
        s = psa_fwu_write((psa_fwu_component_t)c, off, block, n);
        if (!exists(c) && s != PSA_ERROR_DOES_NOT_EXIST && s != PSA_ERROR_INVALID_ARGUMENT) {
            fail("write of an absent component", s);
        }
        if (exists(c) && st != PSA_FWU_WRITING && s != PSA_ERROR_BAD_STATE &&
            s != PSA_ERROR_INVALID_ARGUMENT) {
            fail("write outside WRITING", s);
        }
        if (s == PSA_SUCCESS &&
            (st != PSA_FWU_WRITING || (off & 15u) != 0u || n == 0u || n > PSA_FWU_MAX_WRITE_SIZE)) {
            fail("a write the API refuses succeeded", (long)off);
        }
        if (s != PSA_SUCCESS && s != PSA_ERROR_INVALID_ARGUMENT && s != PSA_ERROR_BAD_STATE &&
            s != PSA_ERROR_DOES_NOT_EXIST) {
            fail("write returned a status it may not", s);
        }
        break;
    }
    case 2: /* finish: nothing here verifies */
        s = psa_fwu_finish((psa_fwu_component_t)c);
        if (!exists(c)) {
            expect(s, PSA_ERROR_DOES_NOT_EXIST, "finish");
        } else if (st != PSA_FWU_WRITING) {
            expect(s, PSA_ERROR_BAD_STATE, "finish");
        } else if (s != PSA_ERROR_INVALID_ARGUMENT && s != PSA_ERROR_INVALID_SIGNATURE) {
            fail("finish of garbage", s);
        } else {
            model[c] = PSA_FWU_FAILED;
        }
        break;
    case 3: /* cancel */
        s = psa_fwu_cancel((psa_fwu_component_t)c);
        want = !exists(c)                                         ? PSA_ERROR_DOES_NOT_EXIST
               : st != PSA_FWU_WRITING && st != PSA_FWU_CANDIDATE ? PSA_ERROR_BAD_STATE
                                                                  : PSA_SUCCESS;
        expect(s, want, "cancel");
        if (s == PSA_SUCCESS) {
            model[c] = PSA_FWU_FAILED;
        }
        break;
    default: /* clean */
        s = psa_fwu_clean((psa_fwu_component_t)c);
        want = !exists(c)                                      ? PSA_ERROR_DOES_NOT_EXIST
               : st != PSA_FWU_FAILED && st != PSA_FWU_UPDATED ? PSA_ERROR_BAD_STATE
                                                               : PSA_SUCCESS;
        expect(s, want, "clean");
        if (s == PSA_SUCCESS) {
            model[c] = PSA_FWU_READY;
        }
        break;
    }
}

/* A raw request: any type, any vectors; the service must refuse what is not its library's. */
static void raw_call(struct in *in)
{
    struct fwu_ipc_args args;
    memset(&args, 0, sizeof(args));
    args.component = byte(in) % 9u;
    args.offset = (uint32_t)byte(in) << 4;
    int32_t type = (int32_t)(byte(in) % 14u);
    if (type == FWU_IPC_REQUEST_REBOOT) {
        type = 0; /* a reboot ends the process (the host's reset): not a finding */
    }
    const size_t in0 = byte(in) < 200 ? sizeof(args) : byte(in) % 24u;
    const size_t in1 = byte(in) % 64u;
    const size_t out0 = byte(in) < 128 ? sizeof(psa_fwu_component_info_t) : byte(in) % 40u;
    uint8_t out[64];
    memset(out, 0x5A, sizeof(out));
    memset(block, 0x11, 64);
    psa_invec iv[2] = {{&args, in0}, {block, in1}};
    psa_outvec ov[1] = {{out, out0}};
    const size_t n_out = byte(in) % 2u;
    psa_status_t s = psa_call(FWU_IPC_HANDLE, type, iv, 2, ov, n_out);
    for (size_t i = n_out ? out0 : 0; i < sizeof(out); i++) {
        if (out[i] != 0x5A) {
            fail("a write past the output vector", (long)i);
        }
    }
    /* A raw call can change states: take them from the service, then keep checking. */
    for (uint32_t c = 0; c < COMPONENTS; c++) {
        psa_fwu_component_info_t info;
        if (psa_fwu_query((psa_fwu_component_t)c, &info) != PSA_SUCCESS || info.state > 7u) {
            fail("no state after a raw call", (long)c);
        }
        model[c] = info.state;
    }
    (void)s;
}

static void global_call(uint8_t op, struct in *in)
{
    psa_status_t s;
    const uint32_t staged = in_state(PSA_FWU_STAGED), trial = in_state(PSA_FWU_TRIAL);
    switch (op) {
    case 0:
        s = psa_fwu_install();
        /* No candidate ever exists here (nothing verifies): always BAD_STATE. */
        expect(s, PSA_ERROR_BAD_STATE, "install");
        break;
    case 1:
        s = psa_fwu_reject((psa_status_t)(int8_t)byte(in));
        expect(s, (staged | trial) == 0u ? PSA_ERROR_BAD_STATE : PSA_SUCCESS, "reject");
        break;
    default:
        s = psa_fwu_accept();
        expect(s, trial == 0u ? PSA_ERROR_BAD_STATE : PSA_SUCCESS, "accept");
        break;
    }
}

static void cleanup(void)
{
    for (uint32_t c = 0; c < COMPONENTS; c++) {
        if (model[c] == PSA_FWU_WRITING || model[c] == PSA_FWU_CANDIDATE) {
            expect(psa_fwu_cancel((psa_fwu_component_t)c), PSA_SUCCESS, "cleanup cancel");
            model[c] = PSA_FWU_FAILED;
        }
        if (model[c] == PSA_FWU_FAILED || model[c] == PSA_FWU_UPDATED) {
            expect(psa_fwu_clean((psa_fwu_component_t)c), PSA_SUCCESS, "cleanup clean");
            model[c] = PSA_FWU_READY;
        }
    }
    check_states();
    for (uint32_t c = 0; c < COMPONENTS; c++) {
        if (model[c] != PSA_FWU_READY) {
            fail("a component not READY after the cleanup", (long)c);
        }
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("SM_HOST_ENTROPY", "none", 1);
    if (fuzz_device_ram_keys() != 0) {
        fail("no device", 0);
    }
    sm_host_start();
    check_states(); /* every component READY, the absent ones absent */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct in in = {data, size};
    for (unsigned steps = 0; in.left > 0 && steps < 48; steps++) {
        const uint8_t op = byte(&in) % 10u;
        if (op < 5) {
            component_call(&in, op);
        } else if (op < 8) {
            global_call((uint8_t)(op - 5), &in);
        } else if (op == 8) {
            raw_call(&in);
        } else {
            check_states();
        }
    }
    cleanup();
    return 0;
}
