/*
 * ns_bench.c: instruction counts of calls from the non-secure world into the SM, run as the
 * NS application of the test SM image (its partitions: tests/partitions) under
 * `smrun --icount` (scripts/bench.sh).
 *
 * It reads TIMER0 (given to the NS world by the SM) and measures, like board_bench.c, the
 * instructions per timer tick with a loop of known length first. Each figure is the cost of
 * one call, the cost of the same loop without the call subtracted.
 */
#include <stdint.h>

#include "crypto_ops.h"
#include "psa/client.h"
#include "psa/internal_trusted_storage.h"
#include "psa_manifest/sid.h"
#include "smak.h"
#include "test_services.h"

#define TIMER0_NS  0x40000000u
#define TIMER(off) (*(volatile uint32_t *)(uintptr_t)(TIMER0_NS + (off)))
#define CALLS      20000u

static uint32_t now(void)
{
    return 0xFFFFFFFFu - TIMER(0x04); /* VALUE counts down */
}

static void spin(uint32_t n)
{
    __asm volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
}

__attribute__((noinline)) static uint32_t loop_empty(uint32_t n)
{
    uint32_t acc = 0;
    for (uint32_t i = 0; i < n; i++) {
        __asm volatile("" : "+r"(acc));
    }
    return acc;
}

__attribute__((noinline)) static uint32_t loop_framework_version(uint32_t n)
{
    uint32_t acc = 0;
    for (uint32_t i = 0; i < n; i++) {
        acc += psa_framework_version();
        __asm volatile("" : "+r"(acc));
    }
    return acc;
}

__attribute__((noinline)) static uint32_t loop_version(uint32_t n)
{
    uint32_t acc = 0;
    for (uint32_t i = 0; i < n; i++) {
        acc += psa_version(0x1234u);
        __asm volatile("" : "+r"(acc));
    }
    return acc;
}

static psa_handle_t conn;
static uint8_t kin[1024], kout[1024];

__attribute__((noinline)) static uint32_t loop_call_stateless(uint32_t n)
{
    uint32_t acc = 0;
    for (uint32_t i = 0; i < n; i++) {
        acc += (uint32_t)psa_call(TEST_ECHO_STATELESS_HANDLE, ECHO_EMPTY, NULL, 0, NULL, 0);
        __asm volatile("" : "+r"(acc));
    }
    return acc;
}

/* A secure module's service replying at once (TEST_MOD_PROBE, tests/modules/probe_module.c:
 * SID 0x4002F000, stateless handle 21, message type 0), when bench.sh installed it. */
#define MODULE_PROBE_SID    0x4002F000u
#define MODULE_PROBE_HANDLE ((psa_handle_t)0x40000115)
__attribute__((noinline)) static uint32_t loop_call_module(uint32_t n)
{
    uint32_t acc = 0;
    for (uint32_t i = 0; i < n; i++) {
        acc += (uint32_t)psa_call(MODULE_PROBE_HANDLE, 0, NULL, 0, NULL, 0);
        __asm volatile("" : "+r"(acc));
    }
    return acc;
}

__attribute__((noinline)) static uint32_t loop_call_connection(uint32_t n)
{
    uint32_t acc = 0;
    for (uint32_t i = 0; i < n; i++) {
        acc += (uint32_t)psa_call(conn, ECHO_EMPTY, NULL, 0, NULL, 0);
        __asm volatile("" : "+r"(acc));
    }
    return acc;
}

/* 1 KiB in and out: the service replies at once (the vectors are only checked), or copies
 * the input to the output with one psa_read and one psa_write. */
static uint32_t loop_1k(uint32_t n, int32_t type)
{
    uint32_t acc = 0;
    psa_invec in = {kin, sizeof(kin)};
    psa_outvec out = {kout, sizeof(kout)};
    for (uint32_t i = 0; i < n; i++) {
        acc += (uint32_t)psa_call(TEST_ECHO_STATELESS_HANDLE, type, &in, 1, &out, 1);
        __asm volatile("" : "+r"(acc));
    }
    return acc;
}

__attribute__((noinline)) static uint32_t loop_1k_empty(uint32_t n)
{
    return loop_1k(n, ECHO_EMPTY);
}

__attribute__((noinline)) static uint32_t loop_1k_bulk(uint32_t n)
{
    return loop_1k(n, ECHO_BULK);
}

/* Internal Trusted Storage from NS: the service's whole path (IPC, crypto, flash driver; the
 * emulated flash's file writes happen in QEMU and cost no guest instructions). */
#define ITS_OPS 64u
static uint8_t its_buf[4096];
static size_t its_size;

__attribute__((noinline)) static uint32_t loop_its_get_info_missing(uint32_t n)
{
    uint32_t acc = 0;
    struct psa_storage_info_t info;
    for (uint32_t i = 0; i < n; i++) {
        acc += (uint32_t)psa_its_get_info(0xBE9C4u, &info);
        __asm volatile("" : "+r"(acc));
    }
    return acc;
}

/* Overwrites of one asset: garbage collection included, as it falls. */
__attribute__((noinline)) static uint32_t loop_its_set(uint32_t n)
{
    uint32_t acc = 0;
    for (uint32_t i = 0; i < n; i++) {
        its_buf[0] = (uint8_t)i;
        acc += (uint32_t)psa_its_set(0xBE9C5u, its_size, its_buf, 0);
        __asm volatile("" : "+r"(acc));
    }
    return acc;
}

__attribute__((noinline)) static uint32_t loop_its_get(uint32_t n)
{
    uint32_t acc = 0;
    size_t len;
    for (uint32_t i = 0; i < n; i++) {
        acc += (uint32_t)psa_its_get(0xBE9C5u, 0, its_size, its_buf, &len);
        __asm volatile("" : "+r"(acc));
    }
    return acc;
}

__attribute__((noinline)) static uint32_t loop_hash_empty(uint32_t n)
{
    uint32_t acc = 0;
    uint8_t hash[32];
    size_t len;
    for (uint32_t i = 0; i < n; i++) {
        acc += (uint32_t)psa_hash_compute(PSA_ALG_SHA_256, NULL, 0, hash, sizeof(hash), &len);
        __asm volatile("" : "+r"(acc));
    }
    return acc;
}

/* Crypto through the SM: the same calls crypto_bench.c makes directly (crypto_ops.h). */
static struct crypto_ops crypto;

static void report_crypto(const char *name, psa_status_t (*op)(struct crypto_ops *c, uint32_t n),
                          uint32_t n, uint32_t milli_per_tick, const char *how)
{
    uint32_t t0 = now();
    psa_status_t status = op(&crypto, n);
    uint32_t t = now() - t0;
    if (status != PSA_SUCCESS) {
        smak_printf("ns_bench: %s failed: %d\n", name, (int)status);
        return;
    }
    uint64_t milli = (uint64_t)t * milli_per_tick / n;
    smak_printf("BENCH %s %u.%03u insn %s\n", name, (unsigned)(milli / 1000u),
                (unsigned)(milli % 1000u), how);
}

/* Partition to partition: one NS call makes TEST_CLIENT call TEST_ECHO n times. */
static uint32_t p2p_ticks(int32_t type, uint32_t n);

static uint32_t ticks(uint32_t (*loop)(uint32_t), uint32_t n)
{
    uint32_t t0 = now();
    (void)loop(n);
    return now() - t0;
}

static uint32_t p2p_ticks(int32_t type, uint32_t n)
{
    psa_invec in = {&n, sizeof(n)};
    uint32_t t0 = now();
    (void)psa_call(TEST_CLIENT_SERVICE_HANDLE, type, &in, 1, NULL, 0);
    return now() - t0;
}

/* Prints instructions per call, to a thousandth, from tick counts and the calibration. */
static void report_n(const char *name, uint32_t with, uint32_t without, uint32_t milli_per_tick,
                     uint32_t calls, const char *how)
{
    uint64_t milli = (uint64_t)(with - without) * milli_per_tick / calls;
    smak_printf("BENCH %s %u.%03u insn %s\n", name, (unsigned)(milli / 1000u),
                (unsigned)(milli % 1000u), how);
}

static void report(const char *name, uint32_t with, uint32_t without, uint32_t milli_per_tick,
                   const char *how)
{
    report_n(name, with, without, milli_per_tick, CALLS, how);
}

int main(void)
{
    TIMER(0x00) = 0;
    TIMER(0x08) = 0xFFFFFFFFu;
    TIMER(0x04) = 0xFFFFFFFFu;
    TIMER(0x00) = 1;
    uint32_t t1 = now();
    spin(1000000u);
    uint32_t t2 = now();
    spin(2000000u);
    uint32_t t3 = now();
    uint32_t milli_per_tick = (uint32_t)(2000000ull * 1000u / ((t3 - t2) - (t2 - t1)));
    uint32_t empty = ticks(loop_empty, CALLS);
    report("ns_psa_framework_version", ticks(loop_framework_version, CALLS), empty, milli_per_tick,
           "per call from NS, loop overhead subtracted");
    report("ns_psa_version", ticks(loop_version, CALLS), empty, milli_per_tick,
           "per call from NS (unknown SID), loop overhead subtracted");
    report("ns_psa_call_empty", ticks(loop_call_stateless, CALLS), empty, milli_per_tick,
           "NS psa_call round trip, stateless service replying at once, 0 B");
    if (psa_version(MODULE_PROBE_SID) == 1u) {
        report("ns_psa_call_module_empty", ticks(loop_call_module, CALLS), empty, milli_per_tick,
               "NS psa_call round trip, a secure module's stateless service replying at once, "
               "0 B");
    }
    conn = psa_connect(TEST_ECHO_SERVICE_SID, 1);
    report("ns_psa_call_empty_connection", ticks(loop_call_connection, CALLS), empty,
           milli_per_tick, "NS psa_call round trip, connection, service replying at once, 0 B");
    psa_close(conn);
    report("ns_psa_call_1k_vectors", ticks(loop_1k_empty, CALLS), empty, milli_per_tick,
           "NS psa_call round trip, 1 KiB in + 1 KiB out vectors, service replying at once");
    report("ns_psa_call_1k_copy", ticks(loop_1k_bulk, CALLS), empty, milli_per_tick,
           "NS psa_call round trip, service reads 1 KiB in and writes 1 KiB out");
    report("p2p_psa_call_empty", p2p_ticks(CLIENT_P2P_EMPTY, CALLS), p2p_ticks(CLIENT_P2P_EMPTY, 0),
           milli_per_tick, "partition to partition psa_call round trip, 0 B");
    report("p2p_psa_call_1k_copy", p2p_ticks(CLIENT_P2P_1K, CALLS), p2p_ticks(CLIENT_P2P_1K, 0),
           milli_per_tick, "partition to partition, service reads 1 KiB in, writes 1 KiB out");
    report("ns_psa_its_get_info_missing", ticks(loop_its_get_info_missing, CALLS), empty,
           milli_per_tick, "NS psa_its_get_info of a UID that does not exist");
    static const struct {
        size_t size;
        const char *set, *get;
    } its_cases[] = {{16, "ns_psa_its_set_16", "ns_psa_its_get_16"},
                     {256, "ns_psa_its_set_256", "ns_psa_its_get_256"},
                     {4096, "ns_psa_its_set_4096", "ns_psa_its_get_4096"}};
    uint32_t few = ticks(loop_empty, ITS_OPS);
    for (uint32_t i = 0; i < sizeof(its_cases) / sizeof(its_cases[0]); i++) {
        its_size = its_cases[i].size;
        report_n(its_cases[i].set, ticks(loop_its_set, ITS_OPS), few, milli_per_tick, ITS_OPS,
                 "NS psa_its_set overwriting one asset, 64 times, garbage collection included");
        report_n(its_cases[i].get, ticks(loop_its_get, ITS_OPS), few, milli_per_tick, ITS_OPS,
                 "NS psa_its_get of the whole asset (authenticated, then decrypted)");
    }
    if (psa_crypto_init() == PSA_SUCCESS && crypto_ops_keys(&crypto) == PSA_SUCCESS) {
        report_n("ns_psa_hash_compute_sha256_0", ticks(loop_hash_empty, ITS_OPS * 16u),
                 ticks(loop_empty, ITS_OPS * 16u), milli_per_tick, ITS_OPS * 16u,
                 "NS psa_hash_compute SHA-256 of 0 bytes, loop overhead subtracted");
        report_crypto("crypto_sha256_4k_ns", crypto_ops_sha256, 4, milli_per_tick,
                      "psa_hash_compute SHA-256 of 4 KiB from NS through the SM");
        report_crypto("crypto_gcm_4k_ns", crypto_ops_gcm, 4, milli_per_tick,
                      "psa_aead_encrypt AES-128-GCM of 4 KiB from NS through the SM");
        report_crypto("crypto_ecdsa_sign_ns", crypto_ops_sign, 2, milli_per_tick,
                      "psa_sign_hash ECDSA P-256 from NS through the SM");
        report_crypto("crypto_ecdsa_verify_ns", crypto_ops_verify, 2, milli_per_tick,
                      "psa_verify_hash ECDSA P-256 from NS through the SM");
    } else {
        smak_printf("ns_bench: crypto set-up failed\n");
    }
    return 0;
}
