/*
 * bl_status.c: see bl_status.h.
 */
#include "bl_status.h"

#ifdef BL_STATUS_CODES
/* The iRoT (built with BL_STATUS_CODES) names a failure by its code, E and the status
 * negated: the texts below are 0.6 KB of its 16 KiB. docs/design/secure-boot.md has the table
 * ("Error codes of the iRoT"), which unit.test_bl_status checks against these texts. The code
 * is written into one buffer rather than read from a table of them (70 bytes less): valid until
 * the next call, and the stages print at most one per line, from one thread. */
const char *bl_strerror(int status)
{
    static char code[4];
    if (status == BL_OK) {
        return "ok";
    }
    if (status > 0 || status < BL_E_PROVISIONING) {
        return "E?";
    }
    const unsigned n = (unsigned)-status;
    _Static_assert(-BL_E_PROVISIONING < 100, "two digits at most");
    code[0] = 'E';
    code[1] = (char)(n >= 10u ? '0' + n / 10u : '0' + n);
    code[2] = (char)(n >= 10u ? '0' + n % 10u : '\0');
    code[3] = '\0';
    return code;
}
#else
const char *bl_strerror(int status)
{
    switch (status) {
    case BL_OK:
        return "ok";
    case BL_E_IO:
        return "flash access failed";
    case BL_E_EMPTY:
        return "no image";
    case BL_E_MAGIC:
        return "bad image magic";
    case BL_E_HEADER:
        return "bad image header";
    case BL_E_OVERSIZE:
        return "image larger than its slot";
    case BL_E_TLV:
        return "malformed TLV area";
    case BL_E_TLV_OVERRUN:
        return "TLV length overruns its area";
    case BL_E_NO_HASH:
        return "no SHA-256 TLV";
    case BL_E_HASH:
        return "SHA-256 mismatch";
    case BL_E_NO_KEY:
        return "no key hash TLV";
    case BL_E_KEY:
        return "key not allowed for this image";
    case BL_E_NO_SIG:
        return "no ECDSA P-256 signature";
    case BL_E_SIG:
        return "bad signature";
    case BL_E_ROLLBACK:
        return "security counter rollback";
    case BL_E_ENC:
        return "not encrypted for this device";
    case BL_E_UNSUPPORTED:
        return "unsupported image feature";
    case BL_E_DEPENDENCY:
        return "dependency not satisfied";
    case BL_E_CONFIG:
        return "device provisioning missing or invalid";
    case BL_E_CRYPTO:
        return "crypto failure";
    case BL_E_JOURNAL:
        return "install journal unusable";
    case BL_E_COUNTERS:
        return "security counters missing or not authentic (counter area erased, or device "
               "not provisioned)";
    case BL_E_LIFECYCLE:
        return "lifecycle state unknown, or a transition it does not allow";
    case BL_E_DECOMMISSIONED:
        return "decommissioned";
    case BL_E_PROVISIONING:
        return "provisioning only";
    default:
        return "unknown error";
    }
}
#endif
