/*
 * bl_status.h: result codes of the boot core, each with the reason printed on rejection.
 *
 * Contract: BL_OK is 0, every failure is negative; bl_strerror() never returns NULL. Built with
 * BL_STATUS_CODES (the iRoT, the provisioning stage) it gives the code ("E9") in one static
 * buffer, valid until its next call.
 */
#ifndef BL_STATUS_H
#define BL_STATUS_H

enum bl_status {
    BL_OK = 0,
    BL_E_IO = -1,              /* reading or writing the flash failed */
    BL_E_EMPTY = -2,           /* no image (erased slot) */
    BL_E_MAGIC = -3,           /* not an MCUboot image header */
    BL_E_HEADER = -4,          /* header fields inconsistent */
    BL_E_OVERSIZE = -5,        /* image larger than its slot */
    BL_E_TLV = -6,             /* TLV area malformed */
    BL_E_TLV_OVERRUN = -7,     /* a TLV length runs past its area */
    BL_E_NO_HASH = -8,         /* no SHA-256 TLV */
    BL_E_HASH = -9,            /* SHA-256 of the image does not match */
    BL_E_NO_KEY = -10,         /* no key hash or public key TLV */
    BL_E_KEY = -11,            /* signed by a key not allowed for this image kind */
    BL_E_NO_SIG = -12,         /* no ECDSA P-256 signature TLV */
    BL_E_SIG = -13,            /* signature does not verify */
    BL_E_ROLLBACK = -14,       /* security counter below the device's */
    BL_E_ENC = -15,            /* not encrypted for this device */
    BL_E_UNSUPPORTED = -16,    /* flag or algorithm this boot stage does not handle */
    BL_E_DEPENDENCY = -17,     /* a dependency is not satisfied */
    BL_E_CONFIG = -18,         /* provisioning data missing or inconsistent */
    BL_E_CRYPTO = -19,         /* a crypto primitive failed */
    BL_E_JOURNAL = -20,        /* install journal unusable */
    BL_E_COUNTERS = -21,       /* no authentic security counter record (area erased or foreign) */
    BL_E_LIFECYCLE = -22,      /* lifecycle state unknown, or a transition it does not allow */
    BL_E_DECOMMISSIONED = -23, /* the device is decommissioned: its secrets are erased */
    BL_E_PROVISIONING = -24,   /* a lifecycle state that only accepts provisioning */
};

const char *bl_strerror(int status);

#endif /* BL_STATUS_H */
