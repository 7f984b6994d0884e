/*
 * bl_status.c: see bl_status.h.
 */
#include "bl_status.h"

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
    default:
        return "unknown error";
    }
}
