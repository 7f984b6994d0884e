/*
 * crypto_bench.c: the crypto benchmark's reference side: the same PSA Crypto calls as ns_bench.c
 * makes through the SM (crypto_ops.h), made directly to the crypto service's Mbed TLS (same
 * build, same configuration) in a secure image of their own, booted in the SM's place. The
 * difference is the SM's overhead. Run under `smrun --icount` by scripts/bench.sh.
 *
 * What the partition normally gets from the SM is replaced here, for this image only: a fixed
 * entropy input (deterministic figures; nothing here is secret), no persistent storage (the
 * benchmark's keys are volatile), and psa_panic powering the board off.
 */
#include <string.h>

#include "crypto_ops.h"
#include "mbedtls/entropy.h"
#include "mbedtls/memory_buffer_alloc.h"
#include "plat_console.h"
#include "plat_system.h"
#include "psa/internal_trusted_storage.h"
#include "psa/service.h"

#define CAL_ITERATIONS 1000000u

static uint8_t arena[20 * 1024] __attribute__((aligned(8)));
static struct crypto_ops ops;

int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen);
int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen)
{
    (void)data;
    memset(output, 0x5A, len);
    *olen = len;
    return 0;
}

psa_status_t psa_its_set(psa_storage_uid_t uid, size_t data_length, const void *p_data,
                         psa_storage_create_flags_t create_flags)
{
    (void)uid, (void)data_length, (void)p_data, (void)create_flags;
    return PSA_ERROR_NOT_SUPPORTED;
}

psa_status_t psa_its_get(psa_storage_uid_t uid, size_t data_offset, size_t data_size, void *p_data,
                         size_t *p_data_length)
{
    (void)uid, (void)data_offset, (void)data_size, (void)p_data;
    *p_data_length = 0;
    return PSA_ERROR_DOES_NOT_EXIST;
}

psa_status_t psa_its_get_info(psa_storage_uid_t uid, struct psa_storage_info_t *p_info)
{
    (void)uid, (void)p_info;
    return PSA_ERROR_DOES_NOT_EXIST;
}

psa_status_t psa_its_remove(psa_storage_uid_t uid)
{
    (void)uid;
    return PSA_ERROR_DOES_NOT_EXIST;
}

void psa_panic(void)
{
    plat_puts("crypto_bench: Mbed TLS stopped\n");
    plat_power_off(1);
    for (;;) {
    }
}

static void spin(uint32_t n)
{
    __asm volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
}

static uint64_t per_tick_milli;

static void report(const char *name, psa_status_t (*op)(struct crypto_ops *c, uint32_t n),
                   uint32_t n, const char *how)
{
    uint64_t t0 = plat_timer_ticks();
    psa_status_t status = op(&ops, n);
    uint64_t t = plat_timer_ticks() - t0;
    if (status != PSA_SUCCESS) {
        plat_printf("crypto_bench: %s failed: %d\n", name, (int)status);
        plat_power_off(1);
    }
    uint64_t milli = t * per_tick_milli / n;
    plat_printf("BENCH %s %u.%03u insn %s\n", name, (unsigned)(milli / 1000u),
                (unsigned)(milli % 1000u), how);
}

int main(void)
{
    plat_console_init();
    plat_timer_init();
    uint64_t t0 = plat_timer_ticks();
    spin(CAL_ITERATIONS);
    uint64_t t1 = plat_timer_ticks();
    spin(2 * CAL_ITERATIONS);
    uint64_t t2 = plat_timer_ticks();
    per_tick_milli = (2ULL * CAL_ITERATIONS * 1000u) / ((t2 - t1) - (t1 - t0));
    mbedtls_memory_buffer_alloc_init(arena, sizeof(arena));
    if (psa_crypto_init() != PSA_SUCCESS || crypto_ops_keys(&ops) != PSA_SUCCESS) {
        plat_puts("crypto_bench: set-up failed\n");
        plat_power_off(1);
    }
    report("crypto_sha256_4k_direct", crypto_ops_sha256, 4,
           "psa_hash_compute SHA-256 of 4 KiB, Mbed TLS called directly");
    report("crypto_gcm_4k_direct", crypto_ops_gcm, 4,
           "psa_aead_encrypt AES-128-GCM of 4 KiB, Mbed TLS called directly");
    report("crypto_ecdsa_sign_direct", crypto_ops_sign, 2,
           "psa_sign_hash ECDSA P-256, Mbed TLS called directly");
    report("crypto_ecdsa_verify_direct", crypto_ops_verify, 2,
           "psa_verify_hash ECDSA P-256, Mbed TLS called directly");
    plat_power_off(0);
    return 0;
}
