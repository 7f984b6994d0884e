/*
 * fuzz_chip_cert.c: the programmer's reading of a chip certificate (tools/smtool/sm_chip_cert.c:
 * parse, encode, verify against the vendor root) over hostile bytes, as a device would send
 * them (docs/design/lifecycle.md, "The chip certificate").
 *
 * Input: [0] mode: bit 0: re-sign: put this harness's root key hash in the issuer field
 *            (bit 1 clear) and sign the first 120 bytes with its root key, so the accepting
 *            path is reached; bit 2: then flip the bit named by [1] of the signed bytes or the
 *            signature (bits 0..1471);
 *        [1] that bit's index, low byte; [2] its high byte;
 *        then the certificate bytes (any length: a certificate is exactly 184).
 * Oracles:
 * - parse accepts exactly the inputs of 184 bytes starting with "SMCC" and version 1, read
 *   here from the literal bytes; encode(parse(x)) is x, byte for byte;
 * - verify accepts exactly the certificates this harness signed with its issuer field and left
 *   unflipped (known by construction, not by a second verifier): a certificate that verifies
 *   otherwise is a forgery of the fixed key, or a verify that accepts what it should not.
 */
#include <stdlib.h>
#include <string.h>

#include "bl_crypto.h"
#include "fuzz_common.h"
#include "fuzz_token_crypto.h"
#include "mbedtls/sha256.h"
#include "sm_chip_cert.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t root_pub[64], root_hash[32];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_quiet();
    static const uint8_t spki_prefix[27] = {
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06,
        0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04,
    };
    uint8_t der[91];
    if (fuzz_token_crypto_init(root_pub) != 0) {
        fuzz_fail("no root key");
    }
    memcpy(der, spki_prefix, sizeof(spki_prefix));
    memcpy(der + sizeof(spki_prefix), root_pub, 64);
    mbedtls_sha256(der, sizeof(der), root_hash, 0);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3 || size > 3 + 512) {
        return -1;
    }
    const uint8_t mode = data[0];
    const unsigned flip = ((unsigned)data[1] | (unsigned)data[2] << 8) % (184u * 8u);
    size_t len = size - 3;
    uint8_t cert[3 + 512];
    memcpy(cert, data + 3, len);
    bool signed_here = false;
    if ((mode & 1u) && len == 184) {
        if (!(mode & 2u)) {
            memcpy(cert + 88, root_hash, 32);
        }
        if (fuzz_token_sign(cert, 120, cert + 120) != 0) {
            fuzz_fail("signing failed");
        }
        signed_here = !(mode & 2u);
        if (mode & 4u) {
            cert[flip / 8] ^= (uint8_t)(1u << (flip % 8));
            signed_here = false;
        }
    }
    struct bl_chip_cert c;
    const char *why = NULL;
    const int rc = sm_chip_cert_parse(cert, len, &c, &why);
    static const uint8_t head[8] = {'S', 'M', 'C', 'C', 1, 0, 0, 0};
    const bool well_formed = len == 184 && memcmp(cert, head, 8) == 0;
    if ((rc == 0) != well_formed) {
        fuzz_fail("parse %s a certificate it should %s", rc == 0 ? "accepted" : "refused",
                  rc == 0 ? "refuse" : "accept");
    }
    if (rc != 0) {
        if (why == NULL) {
            fuzz_fail("a refusal without a reason");
        }
        return 0;
    }
    uint8_t again[184];
    sm_chip_cert_encode(&c, again);
    if (memcmp(again, cert, sizeof(again)) != 0) {
        fuzz_fail("encode(parse(x)) is not x");
    }
    const int v = sm_chip_cert_verify(&c, root_pub, &why);
    if ((v == 0) != signed_here) {
        fuzz_fail("verify %s a certificate %s", v == 0 ? "accepted" : "refused",
                  v == 0 ? "not signed by the root (or altered)" : "the root signed");
    }
    if (v != 0 && why == NULL) {
        fuzz_fail("a refusal without a reason");
    }
    return 0;
}
