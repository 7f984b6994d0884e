/*
 * ns_install_test.c: the NS application of the whole device qemu.install installs from one
 * package (install_test.sh): at its boot the secure module the package carried (the echo test
 * module, tests/modules/echo_module.c, its owner's image in module slot 0) answers, and the
 * device's token for a fixed challenge is printed for the script to verify with the IAK public
 * key the programmer received:
 *   "install_test: module: <what came back>, status S"
 *   "install_test: token NONCE TOKEN" (hex)
 *   "install_test: N passed, M failed", then power off.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ns_check.h"
#include "psa/client.h"
#include "psa/initial_attestation.h"
#include "smak.h"

#define ECHO_SID    0x4001F000u                /* tests/modules/echo_module.json */
#define ECHO_HANDLE ((psa_handle_t)0x40000114) /* its stateless handle, 20 */

static uint8_t token[PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE];

static void print_hex(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        smak_printf("%02x", p[i]);
    }
}

int main(void)
{
    static const char text[] = "installed";
    char back[32] = {0};
    psa_invec in = {text, sizeof(text) - 1};
    psa_outvec out = {back, sizeof(back) - 1};
    CHECK(psa_version(ECHO_SID) == 1);
    const psa_status_t st = psa_call(ECHO_HANDLE, 0, &in, 1, &out, 1);
    CHECK(st == 1); /* the module's first call */
    CHECK(out.len == sizeof(text) - 1 && memcmp(back, text, out.len) == 0);
    smak_printf("install_test: module: %s, status %d\n", back, (int)st);

    uint8_t nonce[PSA_INITIAL_ATTEST_CHALLENGE_SIZE_32];
    for (size_t i = 0; i < sizeof(nonce); i++) {
        nonce[i] = (uint8_t)(0xC0 + i);
    }
    size_t len = 0;
    CHECK(psa_initial_attest_get_token(nonce, sizeof(nonce), token, sizeof(token), &len) ==
          PSA_SUCCESS);
    smak_printf("install_test: token ");
    print_hex(nonce, sizeof(nonce));
    smak_printf(" ");
    print_hex(token, len);
    smak_printf("\n");
    smak_printf("install_test: %u passed, %u failed\n", passed, failed);
    return 0;
}
