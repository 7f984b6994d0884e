/*
 * sm_keys.c: see sm_keys.h.
 */
#include "sm_keys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bl_crypto.h"
#include "mbedtls/ecp.h"
#include "mbedtls/psa_util.h"
#include "psa/crypto.h"

int sm_keys_init(void)
{
    if (psa_crypto_init() != PSA_SUCCESS) {
        fprintf(stderr, "smtool: cannot start the crypto library (no entropy?)\n");
        return -1;
    }
    return 0;
}

static int check_p256(const char *path, const mbedtls_pk_context *pk)
{
    if (mbedtls_pk_get_type(pk) != MBEDTLS_PK_ECKEY ||
        mbedtls_ecp_keypair_get_group_id(mbedtls_pk_ec(*pk)) != MBEDTLS_ECP_DP_SECP256R1) {
        fprintf(stderr, "smtool: %s: not an ECDSA P-256 key\n", path);
        return -1;
    }
    return 0;
}

int sm_key_generate(const char *path)
{
    mbedtls_pk_context pk;
    unsigned char pem[1024];
    int rc = -1;
    mbedtls_pk_init(&pk);
    if (mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) != 0 ||
        mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(pk), mbedtls_psa_get_random,
                            MBEDTLS_PSA_RANDOM_STATE) != 0 ||
        mbedtls_pk_write_key_pem(&pk, pem, sizeof(pem)) != 0) {
        fprintf(stderr, "smtool: %s: key generation failed\n", path);
        goto out;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        fprintf(stderr, "smtool: %s: %s\n", path,
                errno == EEXIST ? "exists already (not overwriting a key)" : strerror(errno));
        goto out;
    }
    size_t len = strlen((const char *)pem);
    if (write(fd, pem, len) != (ssize_t)len || close(fd) != 0) {
        fprintf(stderr, "smtool: %s: write failed\n", path);
        unlink(path);
        goto out;
    }
    rc = 0;
out:
    bl_zeroize(pem, sizeof(pem));
    mbedtls_pk_free(&pk);
    return rc;
}

int sm_key_load_private(const char *path, mbedtls_pk_context *pk)
{
    mbedtls_pk_init(pk);
    int err =
        mbedtls_pk_parse_keyfile(pk, path, NULL, mbedtls_psa_get_random, MBEDTLS_PSA_RANDOM_STATE);
    if (err != 0) {
        fprintf(stderr, "smtool: %s: %s\n", path,
                access(path, R_OK) != 0 ? strerror(errno) : "not a private key (PEM or DER)");
        return -1;
    }
    return check_p256(path, pk);
}

int sm_key_load_public(const char *path, mbedtls_pk_context *pk)
{
    mbedtls_pk_init(pk);
    if (mbedtls_pk_parse_public_keyfile(pk, path) == 0) {
        return check_p256(path, pk);
    }
    mbedtls_pk_free(pk);
    return sm_key_load_private(path, pk);
}

int sm_key_public_raw(const char *path, const mbedtls_pk_context *pk, uint8_t pub[64])
{
    uint8_t point[65];
    size_t len;
    if (mbedtls_ecp_write_public_key(mbedtls_pk_ec(*pk), MBEDTLS_ECP_PF_UNCOMPRESSED, &len, point,
                                     sizeof(point)) != 0 ||
        len != 65) {
        fprintf(stderr, "smtool: %s: cannot export the public key\n", path);
        return -1;
    }
    memcpy(pub, point + 1, 64);
    return 0;
}

int sm_key_private_raw(const char *path, const mbedtls_pk_context *pk, uint8_t priv[32])
{
    size_t len;
    if (mbedtls_ecp_write_key_ext(mbedtls_pk_ec(*pk), &len, priv, 32) != 0 || len != 32) {
        fprintf(stderr, "smtool: %s: cannot export the private key\n", path);
        return -1;
    }
    return 0;
}

void sm_key_hash(const uint8_t pub[64], uint8_t hash[32])
{
    uint8_t der[91];
    bl_pubkey_der(pub, der);
    bl_sha256(der, sizeof(der), hash);
}

int sm_key_file_public(const char *path, uint8_t pub[64])
{
    mbedtls_pk_context pk;
    int rc = sm_key_load_public(path, &pk);
    if (rc == 0) {
        rc = sm_key_public_raw(path, &pk, pub);
    }
    mbedtls_pk_free(&pk);
    return rc;
}
