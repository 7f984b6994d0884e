/*
 * test_prov_core.c: the provisioning stage's answers (boot/prov/prov_core.c) over a RAM flash:
 * a chip in ASSEMBLY_AND_TEST shows its certificate and state, moves to PSA_ROT_PROVISIONING
 * alone; every refusal (malformed, unknown, stale count, a move the store does not allow, no
 * signature, a signature by another key or for another count or chip, any request in
 * SECURED) names its reason and writes nothing; the OEM's signature moves it to SECURED, once;
 * DECOMMISSIONED erases the secrets at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bl_counter.h"
#include "bl_crypto.h"
#include "bl_lifecycle.h"
#include "bl_otp.h"
#include "bl_status.h"
#include "host_flash.h"
#include "plat_flash.h"
#include "prov_core.h"
#include "psa/crypto.h"
#include "sm_prov_proto.h"

#define AT  BL_LIFECYCLE_ASSEMBLY_AND_TEST
#define PRV BL_LIFECYCLE_PSA_ROT_PROVISIONING
#define SEC BL_LIFECYCLE_SECURED
#define DEC BL_LIFECYCLE_DECOMMISSIONED

static const uint8_t oem_priv[32] = {
    0x51, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10,
    0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20};
static const uint8_t other_priv[32] = {
    0x61, 0x62, 0x63, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10,
    0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20};
static struct bl_chip chip;

static void pub_of(const uint8_t priv[32], uint8_t pub[64])
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t id;
    uint8_t point[65];
    size_t n;
    psa_set_key_type(&a, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&a, 256);
    assert_int_equal(psa_import_key(&a, priv, 32, &id), PSA_SUCCESS);
    assert_int_equal(psa_export_public_key(id, point, sizeof(point), &n), PSA_SUCCESS);
    psa_destroy_key(id);
    memcpy(pub, point + 1, 64);
}

static void sign(const uint8_t priv[32], const uint8_t digest[32], uint8_t sig[64])
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t id;
    size_t n;
    psa_set_key_type(&a, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&a, 256);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_SIGN_HASH);
    psa_set_key_algorithm(&a, PSA_ALG_ECDSA(PSA_ALG_SHA_256));
    assert_int_equal(psa_import_key(&a, priv, 32, &id), PSA_SUCCESS);
    assert_int_equal(psa_sign_hash(id, PSA_ALG_ECDSA(PSA_ALG_SHA_256), digest, 32, sig, 64, &n),
                     PSA_SUCCESS);
    psa_destroy_key(id);
}

/* A chip as smtool chip make leaves it (its certificate's fields made up: not checked here). */
static void make_chip(void)
{
    memset(&chip, 0, sizeof(chip));
    chip.magic = BL_CHIP_MAGIC;
    chip.version = BL_CHIP_VERSION;
    for (size_t i = 0; i < 32; i++) {
        chip.huk[i] = (uint8_t)(i * 5u + 3u);
        chip.chip_priv[i] = (uint8_t)(i * 11u + 1u);
    }
    chip.cert.magic = BL_CHIP_CERT_MAGIC;
    chip.cert.version = BL_CHIP_CERT_VERSION;
    for (size_t i = 0; i < 16; i++) {
        chip.cert.chip_id[i] = (uint8_t)(0xC0u + i);
    }
    memset(chip.cert.sig, 0x5A, sizeof(chip.cert.sig));
    bl_sha256(&chip, offsetof(struct bl_chip, digest), chip.digest);
    uint8_t units[(sizeof(chip) + 15) / 16 * 16];
    memset(units, 0xFF, sizeof(units));
    memcpy(units, &chip, sizeof(chip));
    assert_int_equal(plat_flash_erase(FLASH_OTP_OFFSET, FLASH_OTP_SIZE), PLAT_FLASH_OK);
    assert_int_equal(plat_flash_program(FLASH_OTP_OFFSET + BL_CHIP_OFFSET, units, sizeof(units)),
                     PLAT_FLASH_OK);
    assert_int_equal(bl_counter_provision(), BL_OK);
}

/* The device record provisioning adds beside the chip's (the chip's HUK copied), with the
 * OEM's key as the NS key. */
static void add_device_record(void)
{
    struct bl_otp otp;
    memset(&otp, 0, sizeof(otp));
    otp.magic = BL_OTP_MAGIC;
    otp.version = BL_OTP_VERSION;
    otp.lifecycle = PRV;
    memcpy(otp.huk, chip.huk, 32);
    uint8_t der[91];
    pub_of(oem_priv, otp.keys[BL_KIND_NS].pub);
    bl_pubkey_der(otp.keys[BL_KIND_NS].pub, der);
    bl_sha256(der, sizeof(der), otp.keys[BL_KIND_NS].hash);
    bl_sha256(&otp, offsetof(struct bl_otp, digest), otp.digest);
    assert_int_equal(plat_flash_program(FLASH_OTP_OFFSET, &otp, sizeof(otp)), PLAT_FLASH_OK);
}

static int setup(void **state)
{
    (void)state;
    if (psa_crypto_init() != PSA_SUCCESS || host_flash_open_ram() != PLAT_FLASH_OK) {
        return -1;
    }
    make_chip();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    host_flash_close();
    return 0;
}

static uint8_t reply[SM_FRAME_PAYLOAD_MAX];
static uint8_t reply_type;

static int handle(uint8_t type, const uint8_t *p, size_t len)
{
    const struct sm_frame f = {.type = type, .seq = 1, .len = (uint16_t)len, .payload = p};
    return prov_handle(&f, &reply_type, reply);
}

/* Sends a request; expects a STATUS with `reason`, and with any refusal no flash write. */
static struct sm_prov_status expect_status(uint8_t type, const uint8_t *p, size_t len,
                                           uint8_t reason)
{
    host_flash_power_on(); /* counts operations from 0 */
    const int n = handle(type, p, len);
    assert_true(n > 0);
    assert_int_equal(reply_type, SM_PROV_STATUS);
    struct sm_prov_status s;
    const struct sm_frame f = {.type = reply_type, .seq = 1, .len = (uint16_t)n, .payload = reply};
    assert_int_equal(sm_prov_parse_status(&f, &s), SM_PROV_OK);
    if (s.reason != reason) {
        fail_msg("reason %u (%s), expected %u", s.reason, sm_prov_reason_text(s.reason), reason);
    }
    if (reason != SM_PROV_DONE) {
        assert_int_equal(host_flash_ops(), 0);
    }
    return s;
}

static struct sm_prov_info hello(void)
{
    const int n = handle(SM_PROV_HELLO, NULL, 0);
    assert_int_equal(reply_type, SM_PROV_INFO);
    struct sm_prov_info i;
    const struct sm_frame f = {.type = reply_type, .seq = 1, .len = (uint16_t)n, .payload = reply};
    assert_int_equal(sm_prov_parse_info(&f, &i), SM_PROV_OK);
    return i;
}

static int lifecycle_req(uint32_t to, uint32_t transitions, const uint8_t *priv,
                         uint32_t signed_transitions, const uint8_t *id,
                         uint8_t out[SM_FRAME_PAYLOAD_MAX])
{
    struct sm_prov_request r = {.type = SM_PROV_LIFECYCLE, .to = to, .transitions = transitions};
    if (priv != NULL) {
        uint8_t digest[32];
        bl_lifecycle_digest(id, signed_transitions, to, digest);
        sign(priv, digest, r.sig);
        r.is_signed = true;
    }
    return sm_prov_encode_request(&r, out);
}

static void test_a_chip_provisioned(void **state)
{
    (void)state;
    uint8_t req[SM_FRAME_PAYLOAD_MAX];
    struct sm_prov_info i = hello();
    assert_int_equal(i.lifecycle, AT);
    assert_int_equal(i.transitions, 0);
    assert_int_equal(i.flags, SM_PROV_HAS_CHIP);
    assert_memory_equal(i.cert, &chip.cert, SM_PROV_CERT_SIZE);
    /* Refusals, nothing written. */
    lifecycle_req(SEC, 0, NULL, 0, NULL, req);
    expect_status(SM_PROV_LIFECYCLE, req, 76, SM_PROV_E_NOT_ALLOWED);
    lifecycle_req(PRV, 1, NULL, 0, NULL, req);
    expect_status(SM_PROV_LIFECYCLE, req, 76, SM_PROV_E_STALE);
    lifecycle_req(PRV, 0, NULL, 0, NULL, req);
    expect_status(SM_PROV_LIFECYCLE, req, 75, SM_PROV_E_MALFORMED); /* truncated */
    req[10] = 1;
    expect_status(SM_PROV_LIFECYCLE, req, 76, SM_PROV_E_MALFORMED); /* a reserved byte */
    req[10] = 0;
    struct sm_prov_status s = expect_status(0x03, req, 76, SM_PROV_E_UNKNOWN);
    assert_int_equal(s.request, 0);
    assert_int_equal(s.lifecycle, AT);
    assert_int_equal(handle(SM_PROV_INFO, reply, 0), -1); /* a reply: no answer */
    /* A&T -> PROV: the factory's move, no signature. */
    s = expect_status(SM_PROV_LIFECYCLE, req, 76, SM_PROV_DONE);
    assert_int_equal(s.lifecycle, PRV);
    uint32_t now;
    assert_int_equal(bl_lifecycle_get(&now), BL_OK);
    assert_int_equal(now, PRV);
    i = hello();
    assert_int_equal(i.transitions, 1);
    /* PROV -> SECURED: the OEM's; without a device record there is no OEM key. */
    const uint8_t *id = chip.cert.chip_id;
    lifecycle_req(SEC, 1, oem_priv, 1, id, req);
    expect_status(SM_PROV_LIFECYCLE, req, 76, SM_PROV_E_UNAUTHORISED);
    add_device_record();
    assert_int_equal(hello().flags, SM_PROV_HAS_CHIP | SM_PROV_HAS_DEVICE);
    lifecycle_req(SEC, 1, NULL, 0, NULL, req);
    expect_status(SM_PROV_LIFECYCLE, req, 76, SM_PROV_E_UNAUTHORISED); /* unsigned */
    lifecycle_req(SEC, 1, other_priv, 1, id, req);
    expect_status(SM_PROV_LIFECYCLE, req, 76, SM_PROV_E_UNAUTHORISED); /* another key */
    lifecycle_req(SEC, 1, oem_priv, 0, id, req);
    expect_status(SM_PROV_LIFECYCLE, req, 76, SM_PROV_E_UNAUTHORISED); /* another count */
    static const uint8_t other_id[16] = {1};
    lifecycle_req(SEC, 1, oem_priv, 1, other_id, req);
    expect_status(SM_PROV_LIFECYCLE, req, 76, SM_PROV_E_UNAUTHORISED); /* another chip */
    lifecycle_req(SEC, 1, oem_priv, 1, id, req);
    s = expect_status(SM_PROV_LIFECYCLE, req, 76, SM_PROV_DONE);
    assert_int_equal(s.lifecycle, SEC);
    /* SECURED takes nothing: the same signed request again, and any other. */
    expect_status(SM_PROV_LIFECYCLE, req, 76, SM_PROV_E_LOCKED);
    lifecycle_req(DEC, 2, oem_priv, 2, id, req);
    expect_status(SM_PROV_LIFECYCLE, req, 76, SM_PROV_E_LOCKED);
    assert_int_equal(hello().lifecycle, SEC); /* it still says what it is */
}

static void test_decommissioned_by_the_oem(void **state)
{
    (void)state;
    uint8_t req[SM_FRAME_PAYLOAD_MAX];
    lifecycle_req(PRV, 0, NULL, 0, NULL, req);
    expect_status(SM_PROV_LIFECYCLE, req, 76, SM_PROV_DONE);
    add_device_record();
    lifecycle_req(DEC, 1, NULL, 0, NULL, req);
    expect_status(SM_PROV_LIFECYCLE, req, 76, SM_PROV_E_UNAUTHORISED);
    lifecycle_req(DEC, 1, oem_priv, 1, chip.cert.chip_id, req);
    expect_status(SM_PROV_LIFECYCLE, req, 76, SM_PROV_DONE);
    assert_int_equal(bl_otp_check(), BL_E_DECOMMISSIONED);
    static uint8_t all[FLASH_SIZE];
    assert_int_equal(plat_flash_read(0, all, sizeof(all)), PLAT_FLASH_OK);
    assert_null(memmem(all, sizeof(all), chip.huk, 32));
    assert_null(memmem(all, sizeof(all), chip.chip_priv, 32));
    assert_int_equal(hello().lifecycle, DEC);
}

static void test_a_chip_scrapped_at_the_factory(void **state)
{
    (void)state;
    uint8_t req[SM_FRAME_PAYLOAD_MAX];
    lifecycle_req(DEC, 0, NULL, 0, NULL, req);
    expect_status(SM_PROV_LIFECYCLE, req, 76, SM_PROV_DONE);
    assert_int_equal(bl_otp_check(), BL_E_DECOMMISSIONED);
    lifecycle_req(PRV, 0, NULL, 0, NULL, req);
    expect_status(SM_PROV_LIFECYCLE, req, 76, SM_PROV_E_LOCKED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_chip_provisioned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decommissioned_by_the_oem, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_chip_scrapped_at_the_factory, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
