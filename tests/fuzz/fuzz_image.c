/*
 * fuzz_image.c: the MCUboot image parser, verifier and decryption of the boot core
 * (bl_image.c, bl_verify.c, bl_crypto.c) over arbitrary bytes.
 *
 * Input: a 4-byte context, then the image.
 *   [0] bit 0: the payload is still encrypted (decrypt while verifying, as for a download slot)
 *   [1] the device's security counter for the image (min_sec_cnt)
 *   [2], [3] where to cut the payload into three pieces for the chunked decryption check
 * The provisioned signing key and device decryption key are the fixed ones of fuzz_common.h.
 *
 * Oracles beyond ASan/UBSan (the parser never reads outside the image, which ASan sees because
 * the image is copied into a buffer of exactly its size):
 * - a parsed image's areas lie inside the input and each other (the info it returns is the
 *   layout the bytes say);
 * - an image bl_image_verify accepts verifies independently (fuzz_check_image: Mbed TLS's
 *   SHA-256 and ECDSA, with the provisioned key), has that hash as its measurement and a
 *   security counter at least min_sec_cnt;
 * - decryption: the payload decrypted by bl_aes_ctr_crypt in three pieces at any offsets is
 *   exactly as long as the payload and equals Mbed TLS's AES-CTR over the whole payload.
 */
#include <stdlib.h>
#include <string.h>

#include "bl_crypto.h"
#include "bl_image.h"
#include "bl_reader.h"
#include "bl_status.h"
#include "bl_verify.h"
#include "fuzz_common.h"
#include "mbedtls/aes.h"

#define CTX_LEN 4u

static struct bl_key key;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_quiet();
    const struct fuzz_keys *k = fuzz_keys();
    uint8_t der[BL_PUBKEY_DER_LEN];
    memcpy(key.pub, k->sign_pub, sizeof(key.pub));
    bl_pubkey_der(key.pub, der);
    bl_sha256(der, sizeof(der), key.hash);
    return 0;
}

static void check_layout(const struct bl_image_info *in, size_t size)
{
    const uint64_t body_end = (uint64_t)in->hdr.hdr_size + in->hdr.img_size;
    if (in->hdr.hdr_size < BL_IMAGE_HEADER_SIZE || in->hdr.img_size == 0 || in->total_size > size ||
        (uint64_t)in->tlv_off + in->tlv_size != in->total_size ||
        (in->prot_size != 0 &&
         (in->prot_off != body_end || in->prot_off + in->prot_size != in->tlv_off)) ||
        (in->prot_size == 0 && in->tlv_off != body_end) || in->n_deps > BL_MAX_DEPENDENCIES) {
        fuzz_fail("parsed layout inconsistent");
    }
    /* Every value the verifier will read lies in the unprotected area. */
    const struct {
        uint32_t off, len;
    } v[] = {{in->hash_off, 32},
             {in->keyhash_off, 32},
             {in->pubkey_off, BL_PUBKEY_DER_LEN},
             {in->sig_off, in->sig_len},
             {in->enc_off, BL_ENC_EC256_TLV_LEN(in->enc_key_len)}};
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        if (v[i].off != 0 &&
            (v[i].off < in->tlv_off + BL_TLV_INFO_SIZE || v[i].off + v[i].len > in->total_size)) {
            fuzz_fail("TLV value %zu at %u+%u outside the TLV area", i, v[i].off, v[i].len);
        }
    }
    if (in->hash_off == 0 || (in->sig_off != 0 && (in->sig_len < 8 || in->sig_len > 72))) {
        fuzz_fail("parser accepted a missing hash or a bad signature length");
    }
}

/* bl_aes_ctr_crypt at arbitrary piece boundaries against one Mbed TLS AES-CTR pass. */
static void check_decryption(const uint8_t *aes_key, size_t key_len, const uint8_t *body,
                             uint32_t len, uint8_t cut1, uint8_t cut2)
{
    uint8_t *ours = malloc(len), *ref = malloc(len);
    if (ours == NULL || ref == NULL) {
        fuzz_fail("out of memory");
    }
    memcpy(ours, body, len);
    uint32_t a = (uint32_t)((uint64_t)len * cut1 / 255u),
             b = (uint32_t)((uint64_t)len * cut2 / 255u);
    if (a > b) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    struct bl_aes_ctr c;
    if (bl_aes_ctr_start(&c, aes_key, key_len) != BL_OK) {
        fuzz_fail("AES key setup failed");
    }
    bl_aes_ctr_crypt(&c, 0, ours, a);
    bl_aes_ctr_crypt(&c, a, ours + a, b - a);
    bl_aes_ctr_crypt(&c, b, ours + b, len - b);
    bl_aes_ctr_end(&c);
    mbedtls_aes_context aes;
    uint8_t nonce[16] = {0}, stream[16];
    size_t nc = 0;
    mbedtls_aes_init(&aes);
    if (mbedtls_aes_setkey_enc(&aes, aes_key, (unsigned)key_len * 8u) != 0 ||
        mbedtls_aes_crypt_ctr(&aes, len, &nc, nonce, stream, body, ref) != 0) {
        fuzz_fail("reference AES-CTR failed");
    }
    mbedtls_aes_free(&aes);
    if (memcmp(ours, ref, len) != 0) {
        fuzz_fail("chunked decryption (%u, %u of %u) differs from one pass", a, b, len);
    }
    free(ours);
    free(ref);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < CTX_LEN || size - CTX_LEN > UINT32_MAX) {
        return -1; /* not an input of this harness: kept out of the corpus */
    }
    const bool decrypt = (data[0] & 1u) != 0;
    const uint32_t min_sec_cnt = data[1];
    /* The image in a buffer of its own exact size, so that ASan sees a read on either side. */
    const size_t len = size - CTX_LEN;
    uint8_t *img = malloc(len ? len : 1);
    if (img == NULL) {
        fuzz_fail("out of memory");
    }
    memcpy(img, data + CTX_LEN, len);
    const struct fuzz_keys *k = fuzz_keys();
    struct bl_reader r = bl_reader_mem(img, (uint32_t)len);
    struct bl_image_info info;
    if (bl_image_parse(&r, &info) != BL_OK) {
        free(img);
        return 0;
    }
    check_layout(&info, len);

    uint8_t aes_key[BL_ENC_KEY_MAX];
    bool have_key = bl_image_key(&r, &info, k->enc_priv, aes_key) == BL_OK;
    if (have_key) {
        if (info.enc_key_len != 16 && info.enc_key_len != 32) {
            fuzz_fail("unwrapped a key of length %u", info.enc_key_len);
        }
        check_decryption(aes_key, info.enc_key_len, img + info.hdr.hdr_size, info.hdr.img_size,
                         data[2], data[3]);
    }

    struct bl_verify_params p = {&key, decrypt ? k->enc_priv : NULL, decrypt, min_sec_cnt};
    uint8_t measurement[32], hash[32];
    int rc = bl_image_verify(&r, &info, &p, measurement);
    if (rc == BL_OK) {
        bool decrypted = decrypt && info.enc_key_len != 0;
        if (decrypted && !have_key) {
            fuzz_fail("verified an encrypted image whose key does not unwrap");
        }
        if (fuzz_check_image(img, len, k->sign_pub, decrypted ? aes_key : NULL, info.enc_key_len,
                             hash) != 0) {
            fuzz_fail("accepted an image that does not verify independently");
        }
        if (memcmp(hash, measurement, sizeof(hash)) != 0) {
            fuzz_fail("measurement is not the image's SHA-256");
        }
        if ((info.has_sec_cnt ? info.sec_cnt : 0) < min_sec_cnt) {
            fuzz_fail("accepted a rollback");
        }
    } else if (bl_strerror(rc) == NULL) {
        fuzz_fail("rejection %d without a reason", rc);
    }
    bl_zeroize(aes_key, sizeof(aes_key));
    free(img);
    return 0;
}
