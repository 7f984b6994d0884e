/*
 * main.c: the demo non-secure application: a call into the secure world, a secret kept in the
 * SM's Internal Trusted Storage, a power cycle that both survive, and an attestation token a
 * server could check (README: verified with smtool token verify).
 */
#include <string.h>

#include "psa/client.h"
#include "psa/initial_attestation.h"
#include "psa/internal_trusted_storage.h"
#include "smak.h"

#ifndef DEMO_VERSION
#define DEMO_VERSION "1.0.0"
#endif

#define DEMO_UID 0x4445 /* the demo's asset: its UIDs are its own, no other client sees them */

/* An attestation token for a challenge (a server's nonce; here a fixed one), printed in hex:
 * "NS: token " lines, 32 bytes each. */
static void attest(void)
{
    static uint8_t token[PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE];
    uint8_t challenge[PSA_INITIAL_ATTEST_CHALLENGE_SIZE_32];
    size_t len = 0;
    for (size_t i = 0; i < sizeof(challenge); i++) {
        challenge[i] = (uint8_t)(0xC0 + i);
    }
    psa_status_t status =
        psa_initial_attest_get_token(challenge, sizeof(challenge), token, sizeof(token), &len);
    if (status != PSA_SUCCESS) {
        smak_printf("NS: attestation token: status %d\n", (int)status);
        return;
    }
    smak_printf("NS: attestation token (%u bytes) for the challenge ", (unsigned)len);
    for (size_t i = 0; i < sizeof(challenge); i++) {
        smak_printf("%02x", challenge[i]);
    }
    smak_printf(":\n");
    for (size_t i = 0; i < len; i += 32) {
        smak_printf("NS: token ");
        for (size_t j = i; j < len && j < i + 32; j++) {
            smak_printf("%02x", token[j]);
        }
        smak_printf("\n");
    }
}

int main(void)
{
    smak_printf("NS: demo application %s started in the non-secure world\n", DEMO_VERSION);
    uint32_t fw = psa_framework_version(); /* a call into the secure world */
    smak_printf("NS: the SM implements PSA FF-M %u.%u (psa_framework_version() = 0x%04x)\n",
                (unsigned)(fw >> 8), (unsigned)(fw & 0xFFu), (unsigned)fw);
    uint32_t boots = smak_boot_count();
    if (boots == 1) {
        static const char secret[] = "a secret for the next boot";
        psa_status_t status = psa_its_set(DEMO_UID, sizeof(secret), secret, PSA_STORAGE_FLAG_NONE);
        smak_printf("NS: stored %u bytes in Internal Trusted Storage (UID 0x%x): status %d\n",
                    (unsigned)sizeof(secret), (unsigned)DEMO_UID, (int)status);
        /* Show a power cycle: RAM is lost; the boot counter and the asset in flash are not. */
        smak_printf("NS: first boot since provisioning: requesting a reset (power cycle)\n");
        smak_reset();
    }
    smak_printf("NS: boot %u: the boot counter written before the reset was read back from "
                "flash\n",
                (unsigned)boots);
    char secret[64] = {0};
    size_t len = 0;
    psa_status_t status = psa_its_get(DEMO_UID, 0, sizeof(secret) - 1, secret, &len);
    if (status == PSA_SUCCESS) {
        smak_printf("NS: read back from Internal Trusted Storage: \"%s\" (%u bytes)\n", secret,
                    (unsigned)len);
    } else {
        smak_printf("NS: Internal Trusted Storage read failed: status %d\n", (int)status);
    }
    attest();
    return 0;
}
