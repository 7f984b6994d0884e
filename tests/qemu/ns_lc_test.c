/*
 * ns_lc_test.c: the NS side of qemu.lc_moves (lc_moves_test.sh, docs/design/lifecycle.md,
 * "Moving a running device"): it hands the SM lifecycle requests that `smtool lifecycle --sign`
 * made at test time, and gives attestation tokens, as the host on its serial line asks.
 *
 * The line is UART1 (tools/smrun --port; smak_printf's text shares it), one command a line:
 *   T NONCE          a token for the 32-byte challenge NONCE (64 hex digits):
 *                    "lc_test: token NONCE TOKEN", both in hex
 *   L STATUS REQ     sm_lifecycle_request of REQ (92 bytes, 184 hex digits), which must answer
 *                    STATUS (decimal, a psa_status_t): "lc_test: status S" (and a FAIL line if
 *                    S is not STATUS)
 *   P                "lc_test: N passed, M failed", then power off (status 0)
 *   R                the same line, then a reset (the next boot's state is the one moved to)
 * At start: "lc_test: ready, boot N". A line it cannot read gets "lc_test: bad line" and
 * counts as a failure: the line is the host's, but the program trusts it no further than its
 * own checks (every length and digit is checked before a byte is used).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ns_check.h"
#include "psa/initial_attestation.h"
#include "sm/sm_lifecycle.h"
#include "smak.h"

#define LINE_MAX 256u

static uint8_t token[PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE];

/* A line of the host's, without its end; false when it does not fit (the rest is dropped). */
static bool read_line(char *line)
{
    size_t n = 0;
    bool fits = true;
    for (;;) {
        const int c = smak_serial_getc();
        if (c < 0) {
            continue;
        }
        if (c == '\n') {
            break;
        }
        if (c == '\r') {
            continue;
        }
        if (n + 1u < LINE_MAX) {
            line[n++] = (char)c;
        } else {
            fits = false;
        }
    }
    line[n] = '\0';
    return fits;
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Exactly n bytes of hex at s, then the end of the line: the bytes in out, or false. */
static bool parse_hex(const char *s, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const int hi = hex_digit(s[2 * i]);
        const int lo = hi < 0 ? -1 : hex_digit(s[2 * i + 1]);
        if (lo < 0) {
            return false;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return s[2 * n] == '\0';
}

/* A decimal psa_status_t (an optional minus sign, 1 to 4 digits) then a space: its value and
 * where the rest starts, or NULL. */
static const char *parse_status(const char *s, psa_status_t *out)
{
    const bool minus = *s == '-';
    s += minus;
    int32_t v = 0;
    size_t digits = 0;
    while (*s >= '0' && *s <= '9' && digits < 4u) {
        v = v * 10 + (*s++ - '0');
        digits++;
    }
    if (digits == 0u || *s != ' ') {
        return NULL;
    }
    *out = (psa_status_t)(minus ? -v : v);
    return s + 1;
}

static void print_hex(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        smak_printf("%02x", p[i]);
    }
}

static bool do_token(const char *arg)
{
    uint8_t nonce[PSA_INITIAL_ATTEST_CHALLENGE_SIZE_32];
    size_t len = 0;
    if (!parse_hex(arg, nonce, sizeof(nonce))) {
        return false;
    }
    const psa_status_t status =
        psa_initial_attest_get_token(nonce, sizeof(nonce), token, sizeof(token), &len);
    CHECK(status == PSA_SUCCESS);
    smak_printf("lc_test: token ");
    print_hex(nonce, sizeof(nonce));
    smak_printf(" ");
    print_hex(token, status == PSA_SUCCESS ? len : 0u);
    smak_printf("\n");
    return true;
}

static bool do_request(const char *arg)
{
    uint8_t req[SM_LIFECYCLE_REQUEST_SIZE];
    psa_status_t want;
    const char *hex = parse_status(arg, &want);
    if (hex == NULL || !parse_hex(hex, req, sizeof(req))) {
        return false;
    }
    const psa_status_t status = sm_lifecycle_request(req, sizeof(req));
    CHECK(status == want);
    smak_printf("lc_test: status %d\n", (int)status);
    return true;
}

int main(void)
{
    static char line[LINE_MAX];
    smak_serial_open();
    smak_printf("lc_test: ready, boot %u\n", (unsigned)smak_boot_count());
    for (;;) {
        const bool fits = read_line(line);
        const char cmd = fits ? line[0] : '\0';
        const bool arg = cmd != '\0' && line[1] == ' ', alone = cmd != '\0' && line[1] == '\0';
        if ((cmd == 'P' || cmd == 'R') && alone) {
            smak_printf("lc_test: %u passed, %u failed\n", passed, failed);
            if (cmd == 'P') {
                smak_power_off(0);
            }
            smak_reset();
        }
        const bool done =
            arg && ((cmd == 'T' && do_token(line + 2)) || (cmd == 'L' && do_request(line + 2)));
        if (!done) {
            failed++;
            smak_printf("lc_test: bad line\n");
        }
    }
}
