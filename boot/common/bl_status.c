/*
 * bl_status.c: see bl_status.h.
 */
#include "bl_status.h"

#ifdef BL_STATUS_CODES
/* The iRoT (built with BL_STATUS_CODES) names a failure by its code, E and the status
 * negated: the texts below are 0.6 KB of its 16 KiB. docs/design/secure-boot.md has the table
 * ("Error codes of the iRoT"), which unit.test_bl_status checks against these texts. */
const char *bl_strerror(int status)
{
    static const char codes[][4] = {"ok",  "E1",  "E2",  "E3",  "E4",  "E5",  "E6",  "E7",  "E8",
                                    "E9",  "E10", "E11", "E12", "E13", "E14", "E15", "E16", "E17",
                                    "E18", "E19", "E20", "E21", "E22", "E23", "E24"};
    _Static_assert(sizeof(codes) / sizeof(codes[0]) == 1 - BL_E_PROVISIONING, "a code per status");
    return status <= 0 && status >= BL_E_PROVISIONING ? codes[-status] : "E?";
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
