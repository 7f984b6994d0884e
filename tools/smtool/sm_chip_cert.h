/*
 * sm_chip_cert.h: the vendor's certificate of a chip key (struct bl_chip_cert, bl_otp.h;
 * docs/design/lifecycle.md, "The chip certificate"), read and checked by the programmer.
 *
 * Contract: both are functions of their input alone (no globals, no allocation); *why names
 * the first defect (a static string) whenever they return -1.
 * - sm_chip_cert_parse: exactly sizeof(struct bl_chip_cert) bytes, the magic and version
 *   of this format; fills *out (little endian decoded). Nothing about the keys is checked.
 * - sm_chip_cert_verify: the certificate names `root_pub` as its issuer (key hash) and its
 *   signature is root_pub's, over SHA-256 of every byte before the signature (the encoded
 *   bytes, as parse read them).
 * - sm_chip_cert_encode: the bytes of a certificate (the inverse of parse).
 */
#ifndef SM_CHIP_CERT_H
#define SM_CHIP_CERT_H

#include <stddef.h>
#include <stdint.h>

#include "bl_otp.h"

#define SM_CHIP_CERT_SIZE   sizeof(struct bl_chip_cert)
#define SM_CHIP_CERT_SIGNED offsetof(struct bl_chip_cert, sig) /* bytes the signature covers */

int sm_chip_cert_parse(const uint8_t *buf, size_t len, struct bl_chip_cert *out, const char **why);
int sm_chip_cert_verify(const struct bl_chip_cert *c, const uint8_t root_pub[64], const char **why);
void sm_chip_cert_encode(const struct bl_chip_cert *c, uint8_t out[SM_CHIP_CERT_SIZE]);

#endif /* SM_CHIP_CERT_H */
