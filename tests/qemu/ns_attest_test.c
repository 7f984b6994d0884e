/*
 * ns_attest_test.c: Initial Attestation on the board, from the non-secure application and from a
 * partition (TEST_ATTEST_CLIENT), against the attestation SM test image (sm_attest_test). One
 * part per boot; tests/qemu/attest_test.sh verifies the printed tokens with smtool against the
 * image files it programmed:
 *
 *   boot 1  every status from NS and from the partition; tokens "ns1" (32-byte challenge),
 *           "ns1b" (64), "part1" (from the partition); reset
 *   boot 2  token "ns2", made while TEST_TIMER's first-level handler counts timer interrupts
 *           (the signature does not hold them back); token "dfr", asked for by TEST_TIMER on
 *           an interrupt while the update service verifies a download (works_meet); the
 *           partition asks the core for an IAK signature: stopped; reset
 *   boot 3  token "ns3"; the partition reads the IAK in the OTP area: stopped; reset
 *   boot 4  the partition reads the core's RAM: stopped; power off
 *   boot 5+ (after an NS update) token "upd"; power off
 *
 * Each token is printed as "attest_test: token LABEL NONCE_HEX TOKEN_HEX"; each boot ends with
 * "attest_test boot N: P passed, F failed"; a failed check prints "FAIL".
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "attest_client.h"
#include "flash_map.h"
#include "psa/client.h"
#include "psa/initial_attestation.h"
#include "psa/update.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "ns_check.h"
#include "smak.h"
#include "test_services.h"

static uint8_t token[ATTEST_CLIENT_BUF];

static void hex(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        smak_printf("%02x", p[i]);
    }
}

static void print_token(const char *label, const uint8_t *nonce, size_t n, size_t len)
{
    smak_printf("attest_test: token %s ", label);
    hex(nonce, n);
    smak_printf(" ");
    hex(token, len);
    smak_printf("\n");
}

static void challenge(uint8_t *c, size_t n, unsigned boot, unsigned which)
{
    for (size_t i = 0; i < n; i++) {
        c[i] = (uint8_t)(boot * 37u + which * 101u + i * 7u);
    }
}

static void ns_token(const char *label, size_t n, unsigned boot, unsigned which)
{
    uint8_t c[64];
    size_t len = 0;
    challenge(c, n, boot, which);
    CHECK(psa_initial_attest_get_token(c, n, token, sizeof(token), &len) == PSA_SUCCESS);
    print_token(label, c, n, len);
}

static psa_status_t partition_call(int32_t type, const uint8_t *c, size_t n, uint32_t size,
                                   size_t *len)
{
    psa_invec in[2] = {{c, n}, {&size, sizeof(size)}};
    psa_outvec out[1] = {{token, sizeof(token)}};
    psa_status_t status = psa_call(TEST_ATTEST_CLIENT_HANDLE, type, in, 2, out, 1);
    *len = out[0].len;
    return status;
}

/* TEST_TIMER's first-level handler runs so far (TIMER_TICK_COUNT's low half). */
static uint32_t tick_runs(void)
{
    return (uint32_t)psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_TICK_COUNT, NULL, 0, NULL, 0) &
           0xFFFFu;
}

/* The IAK's signature (7.8 M instructions) runs where the scheduler can preempt it: the S32K
 * timer's interrupts, every 2 of its 32 kHz ticks, reach TEST_TIMER's first-level handler (a
 * higher-priority partition) during a token. attest_test.sh runs QEMU with -icount (virtual
 * time = instructions): about 128 interrupts fall in one token. Were the signature made with
 * interrupts held back, one would be seen (measured: 1). */
static void token_while_interrupted(unsigned boot)
{
    struct timer_tick_start t = {.reload = 1, .target = 60000, .mode = TICK_COUNT};
    psa_invec in = {&t, sizeof(t)};
    CHECK(psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_TICK_START, &in, 1, NULL, 0) == PSA_SUCCESS);
    uint8_t c[32];
    size_t len = 0;
    challenge(c, sizeof(c), boot, 0);
    const uint32_t before = tick_runs();
    CHECK(psa_initial_attest_get_token(c, sizeof(c), token, sizeof(token), &len) == PSA_SUCCESS);
    const uint32_t during = tick_runs() - before;
    print_token("ns2", c, sizeof(c), len); /* after: printing takes time too */
    smak_printf("attest_test: %u timer interrupts handled during one token\n", (unsigned)during);
    CHECK(during >= 64u);
    t.target = 1; /* stop it */
    CHECK(psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_TICK_START, &in, 1, NULL, 0) == PSA_SUCCESS);
}

/*
 * Two deferred works meet: while the update service verifies a download (this application's
 * own image, copied into the NS download slot), TEST_TIMER's dual timer fires and the
 * partition asks for a token. The signature cannot start while the verification
 * runs (one deferred work at a time), so the attestation partition's call waits and is made
 * again when the verification ends (attest_test.sh checks the SM's line saying so). The
 * verification gives its answer (the image is valid but in plaintext, which the policy
 * refuses), and the token ("dfr") verifies.
 */
static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t image_length(const uint8_t *img)
{
    uint32_t n = (uint32_t)(img[8] | img[9] << 8) + get32(img + 12); /* header, payload */
    if ((img[n] | img[n + 1] << 8) == 0x6908) {                      /* protected TLVs */
        n += (uint32_t)(img[n + 2] | img[n + 3] << 8);
    }
    return n + (uint32_t)(img[n + 2] | img[n + 3] << 8); /* the TLV area, its info included */
}

static void works_meet(void)
{
    const uint8_t *img = (const uint8_t *)(uintptr_t)(FLASH_BASE_NS + FLASH_NS_PRIMARY_OFFSET);
    const uint32_t len = image_length(img);
    CHECK(psa_fwu_start(PSA_FWU_COMPONENT_NS, NULL, 0) == PSA_SUCCESS);
    for (uint32_t off = 0; off < len; off += 1024u) {
        CHECK(psa_fwu_write(PSA_FWU_COMPONENT_NS, off, img + off,
                            len - off < 1024u ? len - off : 1024u) == PSA_SUCCESS);
    }
    /* 2,500 ticks of the dual timer (25 MHz; -icount: 40 instructions each): 100,000
     * instructions into a verification of several million. */
    uint32_t ticks = 2500;
    psa_invec in = {&ticks, sizeof(ticks)};
    CHECK(psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_START_TOKEN, &in, 1, NULL, 0) == PSA_SUCCESS);
    /* Verified in full, then refused by the policy: a plaintext image where this device's
     * updates must be encrypted for it (fwu_policy.h). */
    CHECK(psa_fwu_finish(PSA_FWU_COMPONENT_NS) == PSA_ERROR_NOT_PERMITTED);
    psa_outvec out = {token, sizeof(token)};
    CHECK(psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_TOKEN, NULL, 0, &out, 1) == PSA_SUCCESS);
    uint8_t c[32];
    memset(c, TIMER_TOKEN_CHALLENGE, sizeof(c));
    print_token("dfr", c, sizeof(c), out.len);
    CHECK(psa_fwu_cancel(PSA_FWU_COMPONENT_NS) == PSA_ERROR_BAD_STATE); /* FAILED */
    CHECK(psa_fwu_clean(PSA_FWU_COMPONENT_NS) == PSA_SUCCESS);
}

static void statuses(void)
{
    static const size_t bad[] = {0, 16, 31, 33, 47, 49, 63, 65, 96};
    uint8_t c[64] = {0};
    size_t size = 9, len = 9;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK(psa_initial_attest_get_token_size(bad[i], &size) == PSA_ERROR_INVALID_ARGUMENT);
        CHECK(psa_initial_attest_get_token(c, bad[i], token, sizeof(token), &len) ==
              PSA_ERROR_INVALID_ARGUMENT);
        CHECK(len == 0);
    }
    CHECK(psa_initial_attest_get_token(c, 32, token, 0, &len) == PSA_ERROR_INVALID_ARGUMENT);
    CHECK(psa_initial_attest_get_token(NULL, 32, token, sizeof(token), &len) ==
          PSA_ERROR_INVALID_ARGUMENT);
    CHECK(psa_initial_attest_get_token(c, 32, token, sizeof(token), NULL) ==
          PSA_ERROR_INVALID_ARGUMENT);
    for (size_t n = 32; n <= 64; n += 16) {
        CHECK(psa_initial_attest_get_token_size(n, &size) == PSA_SUCCESS);
        memset(token, 0xA5, sizeof(token));
        CHECK(psa_initial_attest_get_token(c, n, token, size - 1, &len) ==
              PSA_ERROR_BUFFER_TOO_SMALL);
        int untouched = 1;
        for (size_t i = 0; i < sizeof(token); i++) {
            untouched &= token[i] == 0xA5;
        }
        CHECK(untouched);
        CHECK(psa_initial_attest_get_token(c, n, token, size, &len) == PSA_SUCCESS);
        CHECK(len == size);
        /* The same from the partition: it checks nothing is written past the size it gives. */
        CHECK(partition_call(ATTEST_CLIENT_TOKEN, c, n, (uint32_t)size - 1, &len) ==
              PSA_ERROR_BUFFER_TOO_SMALL);
        CHECK(partition_call(ATTEST_CLIENT_TOKEN, c, n, (uint32_t)size, &len) == PSA_SUCCESS);
        CHECK(len == size);
        uint32_t psize = 0, pn = (uint32_t)n;
        psa_invec in[1] = {{&pn, sizeof(pn)}};
        psa_outvec out[1] = {{&psize, sizeof(psize)}};
        CHECK(psa_call(TEST_ATTEST_CLIENT_HANDLE, ATTEST_CLIENT_SIZE, in, 1, out, 1) ==
              PSA_SUCCESS);
        CHECK(psize == size);
    }
    CHECK(partition_call(ATTEST_CLIENT_TOKEN, c, 48, 0, &len) == PSA_ERROR_INVALID_ARGUMENT);
    CHECK(partition_call(ATTEST_CLIENT_TOKEN, c, 40, ATTEST_CLIENT_BUF, &len) ==
          PSA_ERROR_INVALID_ARGUMENT);
}

int main(void)
{
    const unsigned boot = smak_boot_count();
    smak_printf("attest_test: boot %u, the partition's client id is %d, the timer's %d\n", boot,
                (int)TEST_ATTEST_CLIENT_PARTITION_ID, (int)TEST_TIMER_PARTITION_ID);
    /* FF-M's psa_rot_lifecycle_state as the partition sees it: the script compares it with
     * the provisioned state (and the token's claim). */
    smak_printf(
        "attest_test: the partition's lifecycle state is %x\n",
        (unsigned)psa_call(TEST_ATTEST_CLIENT_HANDLE, ATTEST_CLIENT_LIFECYCLE, NULL, 0, NULL, 0));
    size_t len = 0;
    uint8_t c[64];
    switch (boot) {
    case 1:
        statuses();
        ns_token("ns1", 32, boot, 0);
        ns_token("ns1b", 64, boot, 1);
        challenge(c, 48, boot, 2);
        CHECK(partition_call(ATTEST_CLIENT_TOKEN, c, 48, ATTEST_CLIENT_BUF, &len) == PSA_SUCCESS);
        print_token("part1", c, 48, len);
        break;
    case 2:
        token_while_interrupted(boot);
        works_meet();
        CHECK(partition_call(ATTEST_CLIENT_SIGN, c, 0, 0, &len) != PSA_SUCCESS);
        break;
    case 3:
        ns_token("ns3", 32, boot, 0);
        CHECK(partition_call(ATTEST_CLIENT_READ_OTP, c, 0, 0, &len) != PSA_SUCCESS);
        ns_token("ns3b", 32, boot, 1); /* the service goes on */
        break;
    case 4:
        CHECK(partition_call(ATTEST_CLIENT_READ_CORE, c, 0, 0, &len) != PSA_SUCCESS);
        break;
    default:
        ns_token("upd", 32, boot, 0);
        break;
    }
    smak_printf("attest_test boot %u: %u passed, %u failed\n", boot, passed, failed);
    if (failed != 0u) {
        return 1;
    }
    if (boot < 4u) {
        smak_reset();
    }
    smak_printf("attest_test: all boots done\n");
    return 0;
}
