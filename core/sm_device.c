/*
 * sm_device.c: the device services the core gives partitions (sm/sm_device.h): a flash area
 * per partition, keys derived from the HUK, the install-time configuration. Portable: the
 * board reaches it by supervisor calls, the host by function calls.
 *
 * The provisioning area (bl_otp.h) is read once at start, after its digest is checked; an
 * area that fails the check leaves every item 0 and every flash area empty, so a partition
 * depending on them fails closed. The HUK is read for each derivation and wiped right after.
 *
 * Attestation: the attestation block of the provisioning area (attest_otp.h) is checked at
 * start too (its own digest, and the digest of the bl_otp it belongs to); the boot records are
 * copied once from the area the uRoT filled. The IAK is read from the OTP area for each
 * signature into the core's own memory, and wiped right after: no partition ever holds it.
 * The signature itself runs where the scheduler can preempt it (sign_job below).
 *
 * Firmware update (docs/design/fwu.md): the FWU partition's flash area is the download slot of
 * each component, bounded here (the trailer is the core's: the partition cannot read or program
 * it, only erase it with the slot's last sector), and locked while the kind runs on trial. Its
 * other calls verify a download with the boot stages' own code (bl_boot_verify_slot) and write
 * the trailer fields the boot stages act on: the install request, the confirmation, and the
 * service's own marks in the two trailer units a download slot does not otherwise use.
 */
#include <string.h>

#include "attest_otp.h"
#include "bl_boot.h"
#include "bl_counter.h"
#include "bl_crypto.h"
#include "bl_lifecycle.h"
#include "bl_otp.h"
#include "bl_p256.h"
#include "bl_shared.h"
#include "bl_slots.h"
#include "bl_status.h"
#include "bl_trailer.h"
#include "flash_map.h"
#include "mbedtls/hkdf.h"
#include "mbedtls/md.h"
#include "p256-m.h"
#include "plat_entropy.h"
#include "plat_flash.h"
#include "plat_system.h"
#include "sm/sm_device.h"
#include "sm_kernel.h"
#include "sm_lc_request.h"

_Static_assert(SM_FLASH_E_RANGE == PLAT_FLASH_E_RANGE && SM_FLASH_E_ALIGN == PLAT_FLASH_E_ALIGN &&
                   SM_FLASH_E_PROGRAMMED == PLAT_FLASH_E_PROGRAMMED &&
                   SM_FLASH_E_IO == PLAT_FLASH_E_IO && SM_FLASH_E_POWER == PLAT_FLASH_E_POWER &&
                   SM_FLASH_E_NOT_READY == PLAT_FLASH_E_NOT_READY,
               "sm_device.h flash results are plat_flash.h's");

#define KEY_LABEL_MAX 32u
#define KEY_MAX       32u

static struct {
    bool provisioned;
    uint32_t item[5]; /* enum sm_config_item */
    uint32_t boot_count;
    uint32_t entropy_calls;
} config;

static uint32_t area_offset[SM_FLASH_AREA_COUNT];
static uint32_t area_size[SM_FLASH_AREA_COUNT];

static struct {
    bool ready; /* a valid attestation block: identity and key */
    struct sm_attest_identity id;
} attest;

/* Kept apart from `attest`: sm_device_init (which reads the OTP area) leaves them alone. */
static uint32_t component_count;
/* The kinds whose image this boot started on trial (the boot records' flag), less those the
 * update service has confirmed since: read from RAM, not from the active slots, since the NS
 * one belongs to the NS world once it runs (the MPC makes it non-secure). */
static uint32_t trial_kinds;
static struct sm_boot_component components[SM_BOOT_COMPONENTS_MAX];

_Static_assert(SM_BOOT_COMPONENTS_MAX == BL_KIND_COUNT && SM_BOOT_KIND_MODULE0 == BL_KIND_MODULE0,
               "sm_device.h numbers images as bl_otp.h does");

static void attest_init(const uint8_t otp_digest[32])
{
    struct attest_otp a;
    uint8_t digest[32], point[65];
    memset(&attest, 0, sizeof(attest));
    if (plat_flash_read(FLASH_OTP_OFFSET + bl_otp_place() + ATTEST_OTP_AT, &a, sizeof(a)) !=
        PLAT_FLASH_OK) {
        return;
    }
    bl_sha256(&a, offsetof(struct attest_otp, digest), digest);
    if (a.magic != ATTEST_OTP_MAGIC || a.version != ATTEST_OTP_VERSION ||
        !bl_ct_equal(digest, a.digest, sizeof(digest)) ||
        !bl_ct_equal(otp_digest, a.otp_digest, 32) ||
        (a.cert_ref_len != 0u && a.cert_ref_len != SM_ATTEST_CERT_REF_MAX) ||
        a.url_len > SM_ATTEST_URL_MAX) {
        return;
    }
    struct sm_attest_identity *id = &attest.id;
    memcpy(id->iak_pub, a.iak_pub, sizeof(id->iak_pub));
    /* Instance id (RFC 9783, PSA Attestation API): type RAND, then the hash of the public key
     * in its uncompressed SEC1 form, the form PSA exports. */
    point[0] = 0x04;
    memcpy(point + 1, a.iak_pub, 64);
    id->instance_id[0] = 0x01;
    bl_sha256(point, sizeof(point), id->instance_id + 1);
    memcpy(id->implementation_id, a.implementation_id, sizeof(id->implementation_id));
    id->cert_ref_len = a.cert_ref_len;
    memcpy(id->cert_ref, a.cert_ref, a.cert_ref_len);
    id->url_len = a.url_len;
    memcpy(id->url, a.url, a.url_len);
    attest.ready = true;
}

void sm_device_boot_records(const struct bl_shared_data *d)
{
    component_count = 0;
    trial_kinds = 0;
    memset(components, 0, sizeof(components));
    if (d == NULL || d->magic != BL_SHARED_MAGIC || d->count > BL_KIND_COUNT) {
        return;
    }
    uint32_t seen = 0;
    for (uint32_t i = 0; i < d->count; i++) {
        const struct bl_boot_record *r = &d->records[i];
        /* One record per kind, of a kind that exists: anything else is not what the boot
         * stages write, and a token must not describe it. */
        if (r->kind >= BL_KIND_COUNT || (seen & (1u << r->kind)) != 0u) {
            component_count = 0;
            trial_kinds = 0;
            memset(components, 0, sizeof(components));
            return;
        }
        seen |= 1u << r->kind;
        if (r->trial != 0u) {
            trial_kinds |= 1u << r->kind;
        }
        struct sm_boot_component *c = &components[component_count++];
        c->kind = r->kind;
        c->major = r->version.major;
        c->minor = r->version.minor;
        c->revision = r->version.revision;
        c->build = r->version.build;
        memcpy(c->measurement, r->measurement, sizeof(c->measurement));
        memcpy(c->signer, r->signer, sizeof(c->signer));
    }
}

void sm_device_init(uint32_t boot_count)
{
    memset(&config, 0, sizeof(config));
    config.boot_count = boot_count;
    memset(area_size, 0, sizeof(area_size));
    memset(&attest, 0, sizeof(attest));
    uint32_t head[7]; /* magic .. fwu_ns_components */
    uint8_t otp_digest[32];
    if (bl_otp_check() != BL_OK || bl_otp_read_field(0, head, sizeof(head)) != BL_OK ||
        bl_otp_read_field(offsetof(struct bl_otp, digest), otp_digest, 32) != BL_OK) {
        return;
    }
    attest_init(otp_digest);
    config.provisioned = true;
    /* The state now (the provisioned one, checked above, moved by every transition since,
     * bl_lifecycle.h); a store that cannot say is read as the end of life: fail closed. */
    uint32_t lifecycle;
    config.item[SM_CONFIG_LIFECYCLE] =
        bl_lifecycle_from(head[offsetof(struct bl_otp, lifecycle) / 4], &lifecycle) == BL_OK
            ? lifecycle
            : BL_LIFECYCLE_DECOMMISSIONED;
    config.item[SM_CONFIG_MODULE_SLOTS] = head[offsetof(struct bl_otp, module_slots) / 4];
    config.item[SM_CONFIG_ITS_SIZE] = head[offsetof(struct bl_otp, its_size) / 4];
    config.item[SM_CONFIG_ITS_MAX_ASSET] = head[offsetof(struct bl_otp, its_max_asset) / 4];
    /* A set naming what is no component is not a policy: nothing (fail closed). */
    const uint32_t ns_fwu = head[offsetof(struct bl_otp, fwu_ns_components) / 4];
    config.item[SM_CONFIG_FWU_NS] = ns_fwu >> BL_KIND_COUNT == 0u ? ns_fwu : 0u;
    /* bl_otp_check() bounded the ITS size to whole sectors within FLASH_ITS_SIZE_MAX. */
    area_offset[SM_FLASH_AREA_ITS] = FLASH_ITS_OFFSET;
    area_size[SM_FLASH_AREA_ITS] = config.item[SM_CONFIG_ITS_SIZE];
}

bool sm_device_may_start(uint32_t lifecycle)
{
    return lifecycle == BL_LIFECYCLE_SECURED || bl_lifecycle_trace(lifecycle);
}

uint32_t sm_k_config(uint32_t item)
{
    return item < sizeof(config.item) / sizeof(config.item[0]) ? config.item[item]
                                                               : SM_CONFIG_UNKNOWN;
}

/* The slots of a component that exists on this device: a kind with a provisioned signing key,
 * and for modules a slot the install configuration uses and the image loads
 * (SM_MODULE_SLOTS_MAX). NULL otherwise. */
static const struct bl_slot_pair *fwu_component(uintptr_t component)
{
    struct bl_key key;
    if (!config.provisioned || component >= SM_FWU_COMPONENTS ||
        (component >= BL_KIND_MODULE0 &&
         (component - BL_KIND_MODULE0 >= config.item[SM_CONFIG_MODULE_SLOTS] ||
          component - BL_KIND_MODULE0 >= SM_MODULE_SLOTS_MAX)) ||
        bl_otp_key((enum bl_kind)component, &key) != BL_OK) {
        return NULL;
    }
    return bl_slots((enum bl_kind)component);
}

/* Does the active image of these slots run on trial (started on trial, not confirmed)? */
static bool fwu_on_trial(const struct bl_slot_pair *s)
{
    return (trial_kinds & (1u << s->kind)) != 0u;
}

uint32_t sm_k_flash(uint32_t op, uint32_t offset, void *buf, size_t len)
{
    const struct sm_partition *p = sm_cur->part;
    if (p == NULL) {
        return sm_programmer_error(SM_WHY("V1", "partition flash call outside a partition"));
    }
    uint32_t base = area_offset[p->flash_area], size = area_size[p->flash_area];
    const struct bl_slot_pair *slot = NULL;
    if (p->flash_area == SM_FLASH_AREA_FWU) {
        /* The component's download slot: image area for read and program, the whole slot
         * (trailer sector included) for erase and blank checks. */
        slot = fwu_component((op >> 8) - 1u);
        op &= 0xFFu;
        base = slot != NULL ? slot->secondary : 0u;
        size = slot == NULL ? 0u
               : op == SM_DEVICE_FLASH_ERASE || op == SM_DEVICE_FLASH_BLANK
                   ? slot->size
                   : slot->size - BL_TRAILER_SIZE;
    } else if (op > SM_DEVICE_FLASH_SIZE) {
        return sm_programmer_error(SM_WHY("V2", "unknown partition flash operation"));
    }
    if (op == SM_DEVICE_FLASH_SIZE) {
        return size;
    }
    if (op > SM_DEVICE_FLASH_BLANK) {
        return sm_programmer_error(SM_WHY("V2", "unknown partition flash operation"));
    }
    if ((op == SM_DEVICE_FLASH_READ || op == SM_DEVICE_FLASH_PROGRAM) &&
        !sm_range_ok(buf, len, op == SM_DEVICE_FLASH_READ)) {
        return sm_programmer_error(
            SM_WHY("V3", "partition flash buffer outside the partition's memory"));
    }
    if (offset > size || len > size - offset) {
        return (uint32_t)PLAT_FLASH_E_RANGE;
    }
    /* The previous image in a download slot is what a trial reverts to: nobody changes it
     * while the kind runs on trial (docs/design/secure-boot.md, the revert's binding). */
    if (slot != NULL && (op == SM_DEVICE_FLASH_PROGRAM || op == SM_DEVICE_FLASH_ERASE) &&
        fwu_on_trial(slot)) {
        return (uint32_t)SM_FLASH_E_LOCKED;
    }
    const uint32_t at = base + offset;
    int rc;
    switch (op) {
    case SM_DEVICE_FLASH_READ:
        rc = plat_flash_read(at, buf, len);
        break;
    case SM_DEVICE_FLASH_PROGRAM:
        rc = plat_flash_program(at, buf, len);
        break;
    case SM_DEVICE_FLASH_ERASE:
        rc = plat_flash_erase(at, len);
        break;
    default:
        rc = plat_flash_is_blank(at, len);
        break;
    }
    return (uint32_t)rc;
}

uint32_t sm_k_derive_key(const void *label, size_t label_len, uint8_t *key, size_t key_len)
{
    static const char prefix[] = "SM partition key";
    if (sm_cur->part == NULL) {
        return sm_programmer_error(SM_WHY("V4", "key derivation outside a partition"));
    }
    if (label_len > KEY_LABEL_MAX || key_len == 0u || key_len > KEY_MAX) {
        return (uint32_t)PSA_ERROR_INVALID_ARGUMENT;
    }
    if (!sm_range_ok(label, label_len, false) || !sm_range_ok(key, key_len, true)) {
        return sm_programmer_error(
            SM_WHY("V5", "key derivation buffer outside the partition's memory"));
    }
    if (!config.provisioned) {
        return (uint32_t)PSA_ERROR_HARDWARE_FAILURE;
    }
    /* info = prefix || partition id (little endian) || label */
    uint8_t info[sizeof(prefix) - 1 + 4 + KEY_LABEL_MAX];
    uint8_t huk[32], out[KEY_MAX];
    const size_t n = sizeof(prefix) - 1;
    memcpy(info, prefix, n);
    for (size_t i = 0; i < 4; i++) {
        info[n + i] = (uint8_t)((uint32_t)sm_cur->part->id >> (8 * i));
    }
    memcpy(info + n + 4, label, label_len);
    psa_status_t status = PSA_ERROR_HARDWARE_FAILURE;
    if (bl_otp_read_field(offsetof(struct bl_otp, huk), huk, sizeof(huk)) == BL_OK &&
        mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), NULL, 0, huk, sizeof(huk), info,
                     n + 4 + label_len, out, key_len) == 0) {
        memcpy(key, out, key_len);
        status = PSA_SUCCESS;
    }
    bl_zeroize(huk, sizeof(huk));
    bl_zeroize(out, sizeof(out));
    return (uint32_t)status;
}

/* Without a platform source: HKDF-SHA256(seed, "SM entropy" || boot count || call count ||
 * caller). The boot count is the uRoT's, in flash, so no two boots share an input; the call
 * count keeps the calls of one boot apart and never wraps (the source fails instead). */
static psa_status_t seeded(uint8_t *out, size_t len)
{
    static const char prefix[] = "SM entropy";
    uint8_t seed[32], info[sizeof(prefix) - 1 + 12];
    const size_t n = sizeof(prefix) - 1;
    if (config.entropy_calls == UINT32_MAX) {
        return PSA_ERROR_HARDWARE_FAILURE;
    }
    memcpy(info, prefix, n);
    const uint32_t counts[3] = {config.boot_count, config.entropy_calls++,
                                (uint32_t)sm_cur->part->id};
    for (size_t i = 0; i < 12; i++) {
        info[n + i] = (uint8_t)(counts[i / 4] >> (8 * (i % 4)));
    }
    psa_status_t status = PSA_ERROR_HARDWARE_FAILURE;
    if (config.provisioned &&
        bl_otp_read_field(offsetof(struct bl_otp, entropy_seed), seed, sizeof(seed)) == BL_OK &&
        mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), NULL, 0, seed, sizeof(seed),
                     info, sizeof(info), out, len) == 0) {
        status = PSA_SUCCESS;
    }
    bl_zeroize(seed, sizeof(seed));
    return status;
}

uint32_t sm_k_client_running(int32_t client_id)
{
    if (client_id < 0) {
        return 1; /* the NS world: a fault there restarts the device */
    }
    for (uint32_t i = 0; i < sm_partition_threads(); i++) {
        const struct sm_thread *t = &sm_threads[i];
        if (t->part != NULL && t->part->id == client_id) { /* module slots may be empty */
            return t->state != SM_STOPPED;
        }
    }
    return 0;
}

uint32_t sm_k_entropy(uint8_t *buf, size_t len)
{
    if (sm_cur->part == NULL) {
        return sm_programmer_error(SM_WHY("V6", "entropy request outside a partition"));
    }
    if (len == 0u || len > SM_ENTROPY_MAX) {
        return (uint32_t)PSA_ERROR_INVALID_ARGUMENT;
    }
    if (!sm_range_ok(buf, len, true)) {
        return sm_programmer_error(SM_WHY("V7", "entropy buffer outside the partition's memory"));
    }
    uint8_t out[SM_ENTROPY_MAX];
    /* A platform source that fails is a failure: never a quiet fall-back to the seed. */
    const int source = plat_entropy(out, len);
    psa_status_t status = source == PLAT_ENTROPY_OK     ? PSA_SUCCESS
                          : source == PLAT_ENTROPY_NONE ? seeded(out, len)
                                                        : PSA_ERROR_HARDWARE_FAILURE;
    if (status == PSA_SUCCESS) {
        memcpy(buf, out, len);
    }
    bl_zeroize(out, sizeof(out));
    return (uint32_t)status;
}

/* Bytes from the platform source (or the seed, without one) for the calling partition: the
 * same source as sm_entropy. */
static psa_status_t core_entropy(uint8_t *output, size_t output_size)
{
    uint8_t out[SM_ENTROPY_MAX];
    while (output_size > 0u) {
        const size_t n = output_size < SM_ENTROPY_MAX ? output_size : SM_ENTROPY_MAX;
        const int source = plat_entropy(out, n);
        const psa_status_t status = source == PLAT_ENTROPY_OK     ? PSA_SUCCESS
                                    : source == PLAT_ENTROPY_NONE ? seeded(out, n)
                                                                  : PSA_ERROR_HARDWARE_FAILURE;
        if (status != PSA_SUCCESS) {
            bl_zeroize(out, sizeof(out));
            return status;
        }
        memcpy(output, out, n);
        output += n;
        output_size -= n;
    }
    bl_zeroize(out, sizeof(out));
    return PSA_SUCCESS;
}

/*
 * One signature by the IAK: a job prepared and finished in the kernel, its long part (the
 * ECDSA signature, about 7.8 M instructions) run by the arch where the scheduler can preempt
 * it (sm_arch_defer: on the board privileged Thread mode on a core stack, so interrupts and
 * higher-priority partitions run meanwhile; docs/design/attestation.md). The job lives in the
 * core's memory, which no partition reaches. Everything the work needs is taken beforehand in
 * the kernel, so the work touches no kernel state an interrupting call could change at the
 * same time: the IAK (read from the OTP area here, not during the work: the flash driver is
 * the kernel's), the digest, and the randomness p256-m draws for the nonce.
 */
#define SIGN_RANDOM 96u /* p256-m draws 32 bytes per nonce try; a 4th try (p < 2^-96) fails */

struct sign_job {
    uint8_t hash[32];
    uint8_t iak[32];
    uint8_t random[SIGN_RANDOM];
    size_t random_used;
    uint8_t sig[64];
    int result;
    uint8_t *out; /* the partition's signature buffer (checked) */
};
/* The download verification's job (fwu_verify below). */
struct verify_job {
    const struct bl_slot_pair *slot;
    struct sm_fwu_image *out; /* the partition's buffer (checked) */
    int rc;
    struct bl_image_info info;
    struct bl_boot_image img;
};
/* One deferred work runs at a time (sm_arch.h), and each job is prepared only once the work is
 * its own (after sm_arch_defer_wait) and wiped when it ends: the jobs can share their memory.
 * Whether the signing work is drawing randomness stays apart, so that no verification's bytes
 * ever read as that. */
/* A lifecycle request's job (lifecycle_move below). */
struct lc_job {
    struct sm_lc_request req;
    uint8_t pub[64];
    uint8_t digest[32];
    int result;
};
static union {
    struct sign_job sign;
    struct verify_job verify;
    struct lc_job lc;
} defer_job;
#define sign_job   defer_job.sign
#define verify_job defer_job.verify
#define lc_job     defer_job.lc
static bool sign_drawing; /* the signing work runs: sm_core_random serves from its `random` */

/* The randomness of the core's own p256-m (core/CMakeLists.txt routes its psa_generate_random
 * here): only the signing work calls it, and gets the bytes the kernel drew for it. */
psa_status_t sm_core_random(uint8_t *output, size_t output_size);
psa_status_t sm_core_random(uint8_t *output, size_t output_size)
{
    if (!sign_drawing || output_size > SIGN_RANDOM - sign_job.random_used) {
        return PSA_ERROR_GENERIC_ERROR; /* p256-m: P256_RANDOM_FAILED */
    }
    memcpy(output, sign_job.random + sign_job.random_used, output_size);
    bl_zeroize(sign_job.random + sign_job.random_used, output_size);
    sign_job.random_used += output_size;
    return PSA_SUCCESS;
}

static void sign_work(void *arg)
{
    (void)arg;
    sign_drawing = true;
    sign_job.result = p256_ecdsa_sign(sign_job.sig, sign_job.iak, sign_job.hash, 32);
    sign_drawing = false;
}

static uint32_t sign_finish(void *arg)
{
    (void)arg;
    psa_status_t status = PSA_ERROR_GENERIC_ERROR;
    if (sign_job.result == P256_SUCCESS) {
        memcpy(sign_job.out, sign_job.sig, sizeof(sign_job.sig));
        status = PSA_SUCCESS;
    }
    bl_zeroize(&defer_job, sizeof(defer_job));
    return (uint32_t)status;
}

/* The bytes a COSE_Sign1 ES256 signature covers, and nothing else (RFC 9052, 4.4):
 * ["Signature1", h'A10126', h'', payload], the payload's length running exactly to the end.
 * The IAK then signs attestation tokens only, never a digest chosen by the caller. */
static bool is_sig_structure(const uint8_t *b, size_t len)
{
    static const uint8_t head[] = {0x84, 0x6A, 'S', 'i',  'g',  'n',  'a',  't', 'u',
                                   'r',  'e',  '1', 0x43, 0xA1, 0x01, 0x26, 0x40};
    const size_t n = sizeof(head);
    if (len < n + 1u || memcmp(b, head, n) != 0) {
        return false;
    }
    size_t payload, hdr;
    if (b[n] < 0x58u) {
        if (b[n] < 0x40u) {
            return false;
        }
        payload = b[n] - 0x40u;
        hdr = 1;
    } else if (b[n] == 0x58u && len >= n + 2u) {
        payload = b[n + 1];
        hdr = 2;
    } else if (b[n] == 0x59u && len >= n + 3u) {
        payload = (size_t)b[n + 1] << 8 | b[n + 2];
        hdr = 3;
    } else {
        return false;
    }
    return len - n - hdr == payload;
}

static uint32_t attest_sign(uint8_t *sig_out, const uint8_t *tbs, size_t len)
{
    if (len > SM_ATTEST_TBS_MAX || !is_sig_structure(tbs, len)) {
        return (uint32_t)PSA_ERROR_INVALID_ARGUMENT;
    }
    if (!attest.ready) {
        return (uint32_t)PSA_ERROR_SERVICE_FAILURE;
    }
    uint32_t again;
    if (sm_arch_defer_wait(&again)) {
        return again; /* a download's verification is under way: this call waits for it */
    }
    bl_zeroize(&defer_job, sizeof(defer_job));
    bl_sha256(tbs, len, sign_job.hash);
    sign_job.out = sig_out;
    psa_status_t status = core_entropy(sign_job.random, sizeof(sign_job.random));
    if (status == PSA_SUCCESS && bl_otp_read_field(offsetof(struct bl_otp, iak), sign_job.iak,
                                                   sizeof(sign_job.iak)) != BL_OK) {
        status = PSA_ERROR_GENERIC_ERROR;
    }
    if (status != PSA_SUCCESS) {
        bl_zeroize(&defer_job, sizeof(defer_job));
        return (uint32_t)PSA_ERROR_GENERIC_ERROR; /* sm_device.h: signing failed */
    }
    return sm_arch_defer(sign_work, sign_finish, NULL);
}

/* The module loaded from module slot `slot`: its id from the loader, its signer and trial
 * flag from the boot records the uRoT wrote for that slot's kind. */
static uint32_t module_owner(uintptr_t slot, void *buf, size_t len)
{
    struct sm_module_owner out;
    if (len != sizeof(out) || !sm_range_ok(buf, len, true)) {
        return sm_programmer_error(SM_WHY("V18", "module owner buffer"));
    }
    for (uint32_t k = 0; k < sm_module_count; k++) {
        if (sm_module_slot[k] != slot) {
            continue;
        }
        const uint32_t kind = SM_BOOT_KIND_MODULE0 + (uint32_t)slot;
        for (uint32_t i = 0; i < component_count; i++) {
            if (components[i].kind == kind) {
                memset(&out, 0, sizeof(out));
                out.id = sm_module_partitions[k].id;
                out.trial = (trial_kinds & (1u << kind)) != 0u ? 1u : 0u;
                memcpy(out.signer, components[i].signer, sizeof(out.signer));
                memcpy(buf, &out, sizeof(out));
                return PSA_SUCCESS;
            }
        }
    }
    return (uint32_t)PSA_ERROR_DOES_NOT_EXIST;
}

/*
 * A move of the lifecycle state from SECURED (to a debug state and back, or to DECOMMISSIONED),
 * authorised by the OEM's lifecycle key as the provisioning stage's moves are
 * (docs/design/lifecycle.md, "Moving a running device"). The core writes the counter record
 * itself (bl_lifecycle_set: one authenticated record, power-fail safe, the transition checked
 * again); the boot stages act on the new state at the next boot, as on any state they read.
 * The signature check, about as long as an image's, is deferred work like fwu_verify's.
 */

/* The OEM's key, as the provisioning stage takes it (prov_core.c): bl_oem_key, or on a device
 * provisioned offline (no OEM record at all) its NS image signing key; an OEM record that does
 * not verify gives none (fail closed). */
static int lifecycle_key(uint8_t pub[64])
{
    int rc = bl_oem_key(pub);
    if (rc == BL_E_EMPTY) {
        struct bl_key ns;
        rc = bl_otp_key(BL_KIND_NS, &ns);
        memcpy(pub, ns.pub, 64);
    }
    return rc;
}

static void lifecycle_work(void *arg)
{
    (void)arg;
    lc_job.result = bl_p256_verify(lc_job.req.sig, lc_job.pub, lc_job.digest);
}

static uint32_t lifecycle_finish(void *arg)
{
    (void)arg;
    psa_status_t status = PSA_ERROR_INVALID_SIGNATURE;
    uint32_t now, transitions;
    if (lc_job.result == P256_SUCCESS) {
        /* Read again: nothing else moves the state, but the write must rest on what the
         * flash says now, not on what it said before the work. */
        status = PSA_ERROR_STORAGE_FAILURE;
        if (bl_lifecycle_now(&now, &transitions) == BL_OK) {
            status = transitions != lc_job.req.transitions      ? PSA_ERROR_BAD_STATE
                     : bl_lifecycle_set(lc_job.req.to) == BL_OK ? PSA_SUCCESS
                                                                : PSA_ERROR_STORAGE_FAILURE;
        }
    }
    bl_zeroize(&defer_job, sizeof(defer_job));
    return (uint32_t)status;
}

static uint32_t lifecycle_move(const uint8_t *buf, size_t len)
{
    uint32_t again;
    if (sm_arch_defer_wait(&again)) {
        return again; /* another deferred work is under way: this call waits for it */
    }
    bl_zeroize(&defer_job, sizeof(defer_job));
    /* Parsed once, into core memory: the work and the write use this copy only. */
    psa_status_t status = sm_lc_parse(buf, len, &lc_job.req);
    uint32_t now, transitions;
    uint8_t id[16];
    if (status == PSA_SUCCESS && bl_lifecycle_now(&now, &transitions) != BL_OK) {
        status = PSA_ERROR_STORAGE_FAILURE;
    }
    if (status == PSA_SUCCESS) {
        /* A development device has no chip record: its id is zero, as the stage signs it. */
        if (bl_chip_check() != BL_OK ||
            bl_chip_read_field(offsetof(struct bl_chip, cert.chip_id), id, 16) != BL_OK) {
            memset(id, 0, sizeof(id));
        }
        status = sm_lc_decide(&lc_job.req, id, now, transitions);
    }
    if (status == PSA_SUCCESS && lifecycle_key(lc_job.pub) != BL_OK) {
        status = PSA_ERROR_INVALID_SIGNATURE; /* no OEM key: nothing can authorise a move */
    }
    if (status != PSA_SUCCESS) {
        bl_zeroize(&defer_job, sizeof(defer_job));
        return (uint32_t)status;
    }
    /* The digest of the device's own id and count, whatever the request said. */
    bl_lifecycle_digest(id, transitions, lc_job.req.to, lc_job.digest);
    return sm_arch_defer(lifecycle_work, lifecycle_finish, NULL);
}

uint32_t sm_k_attest(uint32_t op, uintptr_t arg, void *buf, size_t len)
{
    const struct sm_partition *p = sm_cur->part;
    if (op == SM_ATTEST_OP_MODULE && p != NULL && (p->iak || p->flash_area == SM_FLASH_AREA_ITS)) {
        return module_owner(arg, buf, len);
    }
    if (p == NULL || !p->iak) {
        return sm_programmer_error(
            SM_WHY("V8", "attestation call from a partition without the attestation key"));
    }
    switch (op) {
    case SM_ATTEST_OP_IDENTITY:
        if (len != sizeof(attest.id) || !sm_range_ok(buf, len, true)) {
            return sm_programmer_error(SM_WHY("V9", "attestation identity buffer"));
        }
        if (!attest.ready) {
            return (uint32_t)PSA_ERROR_SERVICE_FAILURE;
        }
        memcpy(buf, &attest.id, sizeof(attest.id));
        return PSA_SUCCESS;
    case SM_ATTEST_OP_COMPONENT:
        if (len != sizeof(components[0]) || !sm_range_ok(buf, len, true)) {
            return sm_programmer_error(SM_WHY("V10", "boot component buffer"));
        }
        if (arg >= component_count) {
            return (uint32_t)PSA_ERROR_DOES_NOT_EXIST;
        }
        memcpy(buf, &components[arg], sizeof(components[0]));
        return PSA_SUCCESS;
    case SM_ATTEST_OP_SIGN:
        if (!sm_range_ok(buf, len, false) || !sm_range_ok((const void *)arg, 64, true)) {
            return sm_programmer_error(SM_WHY("V11", "attestation signature buffer"));
        }
        return attest_sign((uint8_t *)arg, buf, len);
    case SM_ATTEST_OP_LIFECYCLE:
        if (!sm_range_ok(buf, len, false)) {
            return sm_programmer_error(SM_WHY("V19", "lifecycle request buffer"));
        }
        return lifecycle_move(buf, len);
    default:
        return sm_programmer_error(SM_WHY("V12", "unknown attestation operation"));
    }
}

/* The update service's marks: the two trailer units of a download slot the boot stages leave
 * alone there ("booted" and "trial" mean something in an active slot only; a swap writes the
 * download slot's trailer erased). A mark is a request, not trust, like every trailer field:
 * whatever it says, the image is verified again before it is installed. */
_Static_assert(SM_FWU_MARK_STAGED == BL_TRAILER_MARK_GROUP, "the install group is bl_trailer.h's");
static const uint32_t fwu_mark_units[2] = {BL_TRAILER_BOOTED, BL_TRAILER_TRIAL};

static uint32_t fwu_mark_at(const struct bl_slot_pair *s, uint32_t i)
{
    return s->secondary + s->size - BL_TRAILER_SIZE + fwu_mark_units[i];
}

static bool fwu_mark_valid(uint32_t mark)
{
    return mark == SM_FWU_MARK_CANDIDATE || mark == SM_FWU_MARK_STAGED ||
           mark == SM_FWU_MARK_FAILED || mark == SM_FWU_MARK_UPDATED;
}

/* The newest valid mark and how many mark units are still erased. A torn or foreign unit is
 * used up but says nothing. */
static int fwu_marks(const struct bl_slot_pair *s, struct sm_fwu_slot *out)
{
    out->mark = SM_FWU_MARK_NONE;
    out->mark_error = 0;
    out->marks_free = 0;
    for (uint32_t i = 0; i < 2u; i++) {
        uint8_t u[16];
        const int programmed = plat_flash_is_programmed(fwu_mark_at(s, i));
        if (programmed < 0 || plat_flash_read(fwu_mark_at(s, i), u, sizeof(u)) != PLAT_FLASH_OK) {
            return BL_E_IO;
        }
        if (programmed == 0) {
            out->marks_free++;
            continue;
        }
        uint32_t mark, value;
        if (bl_trailer_mark_decode(u, &mark, &value) && fwu_mark_valid(mark)) {
            out->mark = (uint8_t)mark;
            out->mark_error = (int32_t)value;
        }
    }
    return BL_OK;
}

static psa_status_t fwu_slot_info(uintptr_t component, struct sm_fwu_slot *out)
{
    memset(out, 0, sizeof(*out));
    if (component >= SM_FWU_COMPONENTS) {
        return PSA_ERROR_DOES_NOT_EXIST;
    }
    const struct bl_slot_pair *s = fwu_component(component);
    if (s == NULL) {
        return PSA_SUCCESS;
    }
    struct bl_trailer dl;
    if (bl_trailer_read(s->secondary, s->size, &dl) != BL_OK || fwu_marks(s, out) != BL_OK) {
        return PSA_ERROR_STORAGE_FAILURE;
    }
    /* No authentic counter (an erased or foreign counter area): no image can be installed,
     * which the largest value says truly; verification fails closed anyway. */
    if (bl_counter_get((unsigned)component, &out->min_sec_cnt) != BL_OK) {
        out->min_sec_cnt = UINT32_MAX;
    }
    out->exists = 1;
    out->trial = fwu_on_trial(s);
    out->request = dl.magic;
    out->max_size = s->size - BL_TRAILER_SIZE;
    out->slot_size = s->size;
    out->location = s->primary;
    for (uint32_t i = 0; i < component_count; i++) {
        if (components[i].kind == component) {
            out->version_major = components[i].major;
            out->version_minor = components[i].minor;
            out->version_revision = components[i].revision;
            out->version_build = components[i].build;
        }
    }
    return PSA_SUCCESS;
}

static psa_status_t fwu_status(int rc)
{
    switch (rc) {
    case BL_OK:
        return PSA_SUCCESS;
    case BL_E_HASH:
    case BL_E_KEY:
    case BL_E_SIG:
    case BL_E_ENC: /* the wrapped key's tag fails: not encrypted for this device */
        return PSA_ERROR_INVALID_SIGNATURE;
    case BL_E_ROLLBACK:
        return PSA_ERROR_NOT_PERMITTED;
    case BL_E_IO:
    case BL_E_COUNTERS:
    case BL_E_CONFIG:
        return PSA_ERROR_STORAGE_FAILURE;
    case BL_E_CRYPTO:
        return PSA_ERROR_GENERIC_ERROR;
    default: /* not a well-formed image, or one the boot stages refuse to handle */
        return PSA_ERROR_INVALID_ARGUMENT;
    }
}

/*
 * The verification of a download (`finish`): the boot stages' own check of the slot, about
 * 19 M instructions for a 64 KiB encrypted image (ECDH for its key, AES-CTR and SHA-256 over
 * it, one signature), so it runs as deferred work (sm_arch_defer), where interrupts and
 * higher-priority partitions preempt it, as the attestation signature does. What the work
 * touches is its own or the flash's: the job below (core memory), the download slot (only
 * the update partition writes it, through the core, and that partition is the caller, waiting
 * for this call), the provisioning area and the counters (read only), and the boot core's
 * allocator, whose slots a kernel entry that preempts the work takes and gives back within
 * that entry (bl_pool.h: four slots, two for each). The slot, its kind and trial state are
 * taken in the kernel beforehand. Its job (struct verify_job) shares the signature's memory.
 */

static void verify_work(void *arg)
{
    (void)arg;
    const struct bl_slot_pair *s = verify_job.slot;
    verify_job.rc = bl_boot_verify_slot(s->kind, s->secondary, s->size, true, &verify_job.info,
                                        &verify_job.img);
}

static uint32_t verify_finish(void *arg)
{
    (void)arg;
    struct sm_fwu_image *out = verify_job.out;
    const struct bl_image_info *info = &verify_job.info;
    const struct bl_boot_image *img = &verify_job.img;
    psa_status_t status = fwu_status(verify_job.rc);
    if (status != PSA_SUCCESS) {
        bl_zeroize(&defer_job, sizeof(defer_job));
        return (uint32_t)status;
    }
    out->encrypted = info->enc_key_len != 0u; /* AES-128 or AES-256 */
    out->major = img->version.major;
    out->minor = img->version.minor;
    out->revision = img->version.revision;
    out->build = img->version.build;
    out->sec_cnt = img->sec_cnt;
    out->n_deps = info->n_deps;
    for (uint32_t i = 0; i < info->n_deps && i < 4u; i++) {
        out->deps[i].kind = info->deps[i].image_id;
        out->deps[i].major = info->deps[i].min_version.major;
        out->deps[i].minor = info->deps[i].min_version.minor;
        out->deps[i].revision = info->deps[i].min_version.revision;
        out->deps[i].build = info->deps[i].min_version.build;
    }
    bl_zeroize(&defer_job, sizeof(defer_job));
    return PSA_SUCCESS;
}

static uint32_t fwu_verify(uintptr_t component, struct sm_fwu_image *out)
{
    uint32_t again;
    if (sm_arch_defer_wait(&again)) {
        return again; /* an attestation signature is under way: this call waits for it */
    }
    memset(out, 0, sizeof(*out));
    const struct bl_slot_pair *s = fwu_component(component);
    if (s == NULL) {
        return (uint32_t)PSA_ERROR_DOES_NOT_EXIST;
    }
    if (fwu_on_trial(s)) {
        return (uint32_t)PSA_ERROR_BAD_STATE; /* the download slot holds what a revert needs */
    }
    bl_zeroize(&defer_job, sizeof(defer_job));
    verify_job.slot = s;
    verify_job.out = out;
    return sm_arch_defer(verify_work, verify_finish, NULL);
}

static psa_status_t fwu_mark(uintptr_t arg, psa_status_t error)
{
    const uint32_t mark = (uint32_t)(arg >> 8) & 0xFFu;
    const struct bl_slot_pair *s = fwu_component(arg & 0xFFu);
    if (s == NULL || (arg >> 16) != 0u) {
        return PSA_ERROR_DOES_NOT_EXIST;
    }
    if (!fwu_mark_valid(mark)) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    bool full;
    if (bl_trailer_mark_add(s->secondary, s->size, mark, (uint32_t)error, &full) != BL_OK) {
        return PSA_ERROR_STORAGE_FAILURE;
    }
    return full ? PSA_ERROR_INSUFFICIENT_STORAGE : PSA_SUCCESS;
}

uint32_t sm_k_fwu(uint32_t op, uintptr_t arg, void *buf, size_t len)
{
    const struct sm_partition *p = sm_cur->part;
    if (p == NULL || p->flash_area != SM_FLASH_AREA_FWU) {
        return sm_programmer_error(
            SM_WHY("V13", "firmware update call from a partition without the FWU area"));
    }
    const struct bl_slot_pair *s;
    switch (op) {
    case SM_FWU_OP_SLOT:
        if (len != sizeof(struct sm_fwu_slot) || !sm_range_ok(buf, len, true)) {
            return sm_programmer_error(SM_WHY("V14", "firmware update slot buffer"));
        }
        return (uint32_t)fwu_slot_info(arg, buf);
    case SM_FWU_OP_VERIFY:
        if (len != sizeof(struct sm_fwu_image) || !sm_range_ok(buf, len, true)) {
            return sm_programmer_error(SM_WHY("V15", "firmware update image buffer"));
        }
        return fwu_verify(arg, buf);
    case SM_FWU_OP_MARK: {
        int32_t error;
        if (len != sizeof(error) || !sm_range_ok(buf, len, false)) {
            return sm_programmer_error(SM_WHY("V16", "firmware update mark buffer"));
        }
        memcpy(&error, buf, sizeof(error));
        return (uint32_t)fwu_mark(arg, error);
    }
    case SM_FWU_OP_REQUEST:
        s = fwu_component(arg);
        if (s == NULL) {
            return (uint32_t)PSA_ERROR_DOES_NOT_EXIST;
        }
        if (fwu_on_trial(s)) {
            return (uint32_t)PSA_ERROR_BAD_STATE;
        }
        return (uint32_t)(bl_trailer_set(s->secondary, s->size, BL_TRAILER_MAGIC) == BL_OK
                              ? PSA_SUCCESS
                              : PSA_ERROR_STORAGE_FAILURE);
    case SM_FWU_OP_CONFIRM:
        s = fwu_component(arg);
        if (s == NULL) {
            return (uint32_t)PSA_ERROR_DOES_NOT_EXIST;
        }
        if (bl_trailer_set(s->primary, s->size, BL_TRAILER_IMAGE_OK) != BL_OK) {
            return (uint32_t)PSA_ERROR_STORAGE_FAILURE;
        }
        trial_kinds &= ~(1u << s->kind);
        return PSA_SUCCESS;
    case SM_FWU_OP_REBOOT:
        plat_reset();
    default:
        return sm_programmer_error(SM_WHY("V17", "unknown firmware update operation"));
    }
}
