/*
 * sm_attest_otp.c: see sm_attest_otp.h.
 */
#include "sm_attest_otp.h"

#include <string.h>

#include "bl_crypto.h"
#include "flash_map.h"
#include "plat_flash.h"
#include "sm/sm_device.h"

int sm_attest_cert_ref_ok(const char *s)
{
    if (strlen(s) != SM_ATTEST_CERT_REF_MAX) {
        return 0;
    }
    for (size_t i = 0; i < SM_ATTEST_CERT_REF_MAX; i++) {
        if (i == 13 ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) {
            return 0;
        }
    }
    return 1;
}

static int url_ok(const char *s)
{
    const size_t n = strlen(s);
    if (n == 0u || n > SM_ATTEST_URL_MAX) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 0x21 || s[i] > 0x7E) {
            return 0;
        }
    }
    return 1;
}

int sm_attest_otp_build(struct attest_otp *a, const uint8_t otp_digest[32],
                        const uint8_t iak_pub[64], const uint8_t implementation_id[32],
                        const char *cert_ref, const char *url)
{
    memset(a, 0, sizeof(*a));
    if ((cert_ref != NULL && !sm_attest_cert_ref_ok(cert_ref)) || (url != NULL && !url_ok(url))) {
        return -1;
    }
    a->magic = ATTEST_OTP_MAGIC;
    a->version = ATTEST_OTP_VERSION;
    memcpy(a->otp_digest, otp_digest, sizeof(a->otp_digest));
    memcpy(a->iak_pub, iak_pub, sizeof(a->iak_pub));
    memcpy(a->implementation_id, implementation_id, sizeof(a->implementation_id));
    if (cert_ref != NULL) {
        a->cert_ref_len = (uint8_t)strlen(cert_ref);
        memcpy(a->cert_ref, cert_ref, a->cert_ref_len);
    }
    if (url != NULL) {
        a->url_len = (uint8_t)strlen(url);
        memcpy(a->url, url, a->url_len);
    }
    bl_sha256(a, offsetof(struct attest_otp, digest), a->digest);
    return 0;
}

int sm_attest_otp_program(const struct attest_otp *a)
{
    return plat_flash_program(FLASH_OTP_OFFSET + ATTEST_OTP_AT, a, sizeof(*a)) == PLAT_FLASH_OK
               ? 0
               : -1;
}
