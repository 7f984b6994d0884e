/*
 * test_module_load.c: the secure module loader (core/sm_module_load.c) on the host, over the
 * test image's built-in partitions (sm_host_test): modules given as payloads (module_fixture)
 * in slots with RAM windows of this program's memory, loaded after sm_kernel_init as the SM's
 * start does. Each test checks what the kernel's tables say afterwards (threads, services,
 * stateless handles, dependencies, the client API's answers) and the reason printed for a
 * refusal, which must leave everything as if the refused slot were empty.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "module_fixture.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "sm_kernel.h"
#include "sm_module_desc.h"
#include "sm_module_load.h"

#define WINDOW       2048u
#define FLASH_AT     0x10100400u /* where slot i's payload "runs": + i * 0x20000 */
#define RAM_AT       0x38020000u /* slot i's window as the module sees it: + i * 0x8000 */
#define TEST_ECHO_ID 1           /* a built-in partition of sm_host_test */

static uint8_t payload[SM_MODULE_SLOTS_MAX][MODULE_FIXTURE_LEN];
static uint8_t ram[SM_MODULE_SLOTS_MAX][WINDOW] __attribute__((aligned(32)));
static struct sm_module_source src[SM_MODULE_SLOTS_MAX];
static char out[8192];

/* Slot i holds a fixture module with partition id `id`, its services' SIDs moved by `sid`
 * (0x4001F000 + sid, 0x4001F001 + sid), its stateless handle `handle`, named `name`. */
static void slot(uint32_t i, int32_t id, uint32_t sid, uint8_t handle, const char *name)
{
    uint8_t *p = payload[i];
    module_fixture(p);
    module_fixture_put32(p + 12, (uint32_t)id);
    memset(p + 16, 0, 16);
    memcpy(p + 16, name, strlen(name));
    module_fixture_put32(p + MF_SERVICES, 0x4001F000u + sid);
    module_fixture_put32(p + MF_SERVICES + SM_MODULE_SERVICE_SIZE, 0x4001F001u + sid);
    p[MF_SERVICES + SM_MODULE_SERVICE_SIZE + 10] = handle;
    memset(ram[i], 0xEE, WINDOW); /* what was there before: the loader must clear it */
    src[i] = (struct sm_module_source){
        .slot = i,
        .payload = p,
        .payload_len = MODULE_FIXTURE_LEN,
        .payload_addr = FLASH_AT + i * 0x20000u,
        .ram = ram[i],
        .ram_window = WINDOW,
        .ram_addr = RAM_AT + i * 0x8000u,
    };
}

/* sm_module_load(src, n) on the kernel as it is, its console output in `out`. */
static uint32_t load_more(uint32_t n)
{
    fflush(stdout);
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    int saved = dup(STDOUT_FILENO);
    dup2(fileno(tmp), STDOUT_FILENO);
    uint32_t loaded = sm_module_load(src, n);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    rewind(tmp);
    size_t len = fread(out, 1, sizeof(out) - 1u, tmp);
    out[len] = '\0';
    fclose(tmp);
    printf("%s", out);
    return loaded;
}

/* The same on a fresh kernel. */
static uint32_t load(uint32_t n)
{
    sm_kernel_init();
    return load_more(n);
}

static struct sm_thread *module_thread(uint32_t k)
{
    return &sm_threads[sm_partition_count + k];
}

static void assert_builtin_only(void)
{
    assert_int_equal(sm_module_count, 0);
    assert_int_equal(sm_service_count, sm_builtin_service_count);
    assert_memory_equal(sm_stateless_map, sm_builtin_stateless_map, 32);
    for (uint32_t k = 0; k < SM_MODULE_SLOTS_MAX; k++) {
        assert_int_equal(module_thread(k)->state, SM_STOPPED);
        assert_null(module_thread(k)->part);
        assert_int_equal((sm_ready >> (sm_partition_count + k)) & 1u, 0);
    }
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_accepted(void **state)
{
    (void)state;
    slot(0, 0x4001, 0, 7, "KEY_VAULT");
    assert_int_equal(load(1), 1);
    assert_non_null(strstr(out, "module slot 0: KEY_VAULT (partition id 16385), 2 service(s), "
                                "loaded"));
    assert_int_equal(sm_module_count, 1);
    struct sm_thread *t = module_thread(0);
    assert_ptr_equal(t->part, &sm_module_partitions[0]);
    assert_int_equal(t->state, SM_READY);
    assert_int_equal(t->client_id, 0x4001);
    assert_true((sm_ready >> t->index) & 1u);
    assert_string_equal(t->part->name, "KEY_VAULT");
    /* Its services follow the built-in ones, signals from bit 4, offered by its thread. */
    const uint32_t si = sm_builtin_service_count;
    assert_int_equal(sm_service_count, si + 2u);
    assert_int_equal(t->part->first_service, si);
    assert_int_equal(t->part->service_count, 2);
    assert_int_equal(t->part->service_signals, 0x30u);
    assert_int_equal(sm_services[si].sid, 0x4001F000u);
    assert_int_equal(sm_services[si].version, 2);
    assert_int_equal(sm_services[si].policy, SM_VERSION_RELAXED);
    assert_false(sm_services[si].stateless);
    assert_true(sm_services[si].ns_clients);
    assert_int_equal(sm_services[si].partition, t->index);
    assert_int_equal(sm_services[si + 1u].sid, 0x4001F001u);
    assert_true(sm_services[si + 1u].stateless);
    assert_false(sm_services[si + 1u].ns_clients);
    assert_int_equal(sm_services[si + 1u].signal, 1u << 5);
    assert_int_equal(sm_stateless_map[7], si + 2u);
    /* Entry and stack: in its flash, at the top of the RAM it asked for. */
    assert_int_equal((uintptr_t)t->part->entry, FLASH_AT + MODULE_FIXTURE_CODE_END - 64u + 1u);
    assert_ptr_equal(t->part->stack, ram[0] + MODULE_FIXTURE_RAM - 512u);
    assert_int_equal(t->part->stack_size, 512);
    /* Its RAM: the data image relocated (GOT and the two pointers), the rest zeroed. */
    assert_int_equal(get32(ram[0]), FLASH_AT + 200u);
    assert_int_equal(get32(ram[0] + 4), RAM_AT + 40u);
    assert_int_equal(get32(ram[0] + 8), 0);
    assert_int_equal(get32(ram[0] + 12), 0x12345678u);
    assert_int_equal(get32(ram[0] + 16), FLASH_AT + 100u);
    assert_int_equal(get32(ram[0] + 24), RAM_AT + 4u);
    /* (The host's makecontext writes its start frame at the stack's top.) */
    for (uint32_t i = MODULE_FIXTURE_DATA_SIZE; i < MODULE_FIXTURE_RAM - 512u; i++) {
        assert_int_equal(ram[0][i], 0);
    }
    for (uint32_t i = MODULE_FIXTURE_RAM; i < WINDOW; i++) {
        assert_int_equal(ram[0][i], 0);
    }
    /* Dependencies: SM_CRYPTO (0x101) is offered, 0x102 is nobody's. */
    uint32_t crypto = 0;
    while (sm_services[crypto].sid != SM_CRYPTO_SID) {
        crypto++;
    }
    assert_int_equal(t->part->allowed_services, 1u << crypto);
}

/* What the client API answers, acting as the NS world or as the module. */
static void test_client_view(void **state)
{
    (void)state;
    slot(0, 0x4001, 0, 7, "KEY_VAULT");
    assert_int_equal(load(1), 1);
    sm_cur = sm_ns_agent();
    assert_int_equal(sm_k_version(0x4001F000u), 2);                /* NS service */
    assert_int_equal(sm_k_version(0x4001F001u), PSA_VERSION_NONE); /* secure only */
    sm_cur = module_thread(0);
    assert_int_equal(sm_k_version(SM_CRYPTO_SID), 1);             /* declared */
    assert_int_equal(sm_k_version(SM_ITS_SID), PSA_VERSION_NONE); /* not declared */
    /* A built-in partition may not call a module it never declared. */
    sm_cur = &sm_threads[0];
    assert_int_equal(sm_k_version(0x4001F000u), PSA_VERSION_NONE);
    /* Connecting to a service it did not declare is a programmer error: only it stops. */
    sm_cur = module_thread(0);
    fflush(stdout);
    (void)sm_k_connect(TEST_ECHO_SERVICE_SID, 1);
    assert_int_equal(module_thread(0)->state, SM_STOPPED);
    assert_int_equal(sm_threads[0].state, SM_READY);
    sm_cur = sm_ns_agent();
}

static void test_refused_id(void **state)
{
    (void)state;
    slot(0, TEST_ECHO_ID, 0, 7, "KEY_VAULT");
    assert_int_equal(load(1), 0);
    assert_non_null(strstr(out, "module slot 0: refused: its partition id or name is another "
                                "partition's"));
    assert_builtin_only();
    for (uint32_t i = 0; i < WINDOW; i++) {
        assert_int_equal(ram[0][i], 0); /* nothing of the refused module stays */
    }
}

/* A partition of the build that this image does not hold (TEST_FWU_CLIENT is not in
 * sm_host_test): the services' tables are the build's (psa_manifest headers: a partition compiles
 * once for every image), so a module carrying its id would be taken for it: its update policy
 * (fwu_policy.h: components a module may never update), its crypto and ITS shares. */
static void test_refused_build_id(void **state)
{
    (void)state;
    slot(0, TEST_FWU_CLIENT_PARTITION_ID, 0, 7, "KEY_VAULT");
    assert_int_equal(load(1), 0);
    assert_non_null(strstr(out, "module slot 0: refused: its partition id or name is another "
                                "partition's"));
    assert_builtin_only();
}

static void test_refused_name(void **state)
{
    (void)state;
    slot(0, 0x4001, 0, 7, "TEST_ECHO"); /* a built-in partition's name, its own id */
    assert_int_equal(load(1), 0);
    assert_non_null(strstr(out, "module slot 0: refused: its partition id or name is another "
                                "partition's"));
    assert_builtin_only();
}

static void test_refused_sid(void **state)
{
    (void)state;
    slot(0, 0x4001, 0, 7, "KEY_VAULT");
    /* Its first service takes TEST_ECHO_SERVICE's SID. */
    module_fixture_put32(payload[0] + MF_SERVICES, TEST_ECHO_SERVICE_SID);
    assert_int_equal(load(1), 0);
    assert_non_null(strstr(out, "module slot 0: refused: one of its SIDs is another service's "
                                "(0x0000f000)"));
    assert_builtin_only();
}

static void test_refused_handle(void **state)
{
    (void)state;
    /* Stateless handle index 1 is a built-in service's. */
    slot(0, 0x4001, 0, 1, "KEY_VAULT");
    assert_int_equal(load(1), 0);
    assert_non_null(strstr(out, "module slot 0: refused: one of its stateless handles is another "
                                "service's (0x00000001)"));
    assert_builtin_only();
}

/* Two modules colliding with each other: the first (in slot order) wins, the other is
 * refused, and a third in another slot boots. */
static void test_collisions_between_modules(void **state)
{
    (void)state;
    slot(0, 0x4001, 0, 7, "MOD_A");
    slot(1, 0x4001, 0x10, 20, "MOD_B"); /* A's id */
    slot(2, 0x4003, 0, 21, "MOD_C");    /* A's SIDs */
    slot(3, 0x4004, 0x20, 7, "MOD_D");  /* A's stateless handle */
    assert_int_equal(load(4), 1);
    assert_non_null(strstr(out, "module slot 0: MOD_A"));
    assert_non_null(strstr(out, "module slot 1: refused: its partition id or name"));
    assert_non_null(strstr(out, "module slot 2: refused: one of its SIDs"));
    assert_non_null(strstr(out, "module slot 3: refused: one of its stateless handles"));
    assert_int_equal(sm_service_count, sm_builtin_service_count + 2u);
    assert_string_equal(module_thread(0)->part->name, "MOD_A");
    assert_int_equal(module_thread(1)->state, SM_STOPPED);
    /* A refused for its own defect takes nothing: the three others boot. */
    src[0].payload_len = 10; /* shorter than a descriptor */
    assert_int_equal(load(4), 3);
    assert_non_null(strstr(out, "module slot 0: refused: payload shorter than a module "
                                "descriptor"));
    assert_non_null(strstr(out, "module slot 1: MOD_B"));
    assert_non_null(strstr(out, "module slot 2: MOD_C"));
    assert_non_null(strstr(out, "module slot 3: MOD_D"));
}

static void test_malformed(void **state)
{
    (void)state;
    static const struct {
        uint32_t offset, value;
        const char *reason;
    } bad[] = {
        {0, 0x12345678u, "no module descriptor (magic)"},
        {8, MF_DESC_END + 4u, "module descriptor size does not match"},
        {12, 0, "partition id not positive"},
        {36, 2, "entry point not Thumb code"},
        {48, 0x1000u, "code, data image or sizes outside the payload"},
        {52, 0x100000u, "do not fit the slot's RAM window"},
        {56, 100, "stack smaller than 256 bytes"},
        {MF_SERVICES, 0, "a service with SID 0"},
        {MF_DEPS, 0x4001F000u, "a dependency on SID 0 or on the module's own service"},
        {MF_RELOCS, 17, "a relocation misaligned"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        slot(0, 0x4001, 0, 7, "BROKEN");
        slot(1, 0x4002, 0x10, 20, "GOOD");
        module_fixture_put32(payload[0] + bad[i].offset, bad[i].value);
        assert_int_equal(load(2), 1);
        assert_non_null(strstr(out, "module slot 0: refused: "));
        printf("expecting \"%s\"\n", bad[i].reason);
        assert_non_null(strstr(out, bad[i].reason));
        assert_non_null(strstr(out, "module slot 1: GOOD"));
        assert_string_equal(module_thread(0)->part->name, "GOOD");
        assert_int_equal(sm_module_count, 1);
    }
}

/* A relocation that points outside the module: refused, its RAM cleared. */
static void test_bad_pointer(void **state)
{
    (void)state;
    slot(0, 0x4001, 0, 7, "KEY_VAULT");
    module_fixture_put32(payload[0] + MODULE_FIXTURE_DATA + 16, 0x20000000u);
    assert_int_equal(load(1), 0);
    assert_non_null(strstr(out, "module slot 0: refused: "));
    assert_builtin_only();
    for (uint32_t i = 0; i < WINDOW; i++) {
        assert_int_equal(ram[0][i], 0);
    }
}

/* Code ending where the MPU's 32-byte rounding would take in bytes past the payload: a
 * module without data (no GOT, no relocations), its payload ending 8 bytes after its code. */
static void test_code_past_payload(void **state)
{
    (void)state;
    slot(0, 0x4001, 0, 7, "KEY_VAULT");
    uint8_t *p = payload[0];
    module_fixture_put32(p + 8, MF_RELOCS); /* no relocation table */
    p[60] = p[61] = p[62] = p[63] = 0;      /* GOT words, relocations */
    module_fixture_put32(p + 48, 0);        /* data size */
    src[0].payload_len = MODULE_FIXTURE_CODE_END + 8u;
    assert_int_equal(load(1), 1); /* code to 256, on the granule */
    src[0].payload_addr += 8u;    /* code to 264 from the granule: rounded to 288, 280 on */
    assert_int_equal(load(1), 0);
    assert_non_null(strstr(out, "module slot 0: refused: its code does not end inside its "
                                "payload on the MPU's 32-byte granule"));
    assert_builtin_only();
}

/* Modules take the module threads by priority, then slot order. */
static void test_priority_order(void **state)
{
    (void)state;
    slot(0, 0x4001, 0, 7, "LOW_ONE");
    slot(1, 0x4002, 0x10, 20, "NORMAL_ONE");
    slot(2, 0x4003, 0x20, 21, "HIGH_ONE");
    slot(3, 0x4004, 0x30, 22, "NORMAL_TWO");
    payload[0][32] = 2;
    payload[2][32] = 0;
    assert_int_equal(load(4), 4);
    assert_string_equal(module_thread(0)->part->name, "HIGH_ONE");
    assert_string_equal(module_thread(1)->part->name, "NORMAL_ONE");
    assert_string_equal(module_thread(2)->part->name, "NORMAL_TWO");
    assert_string_equal(module_thread(3)->part->name, "LOW_ONE");
    /* Each service names its own module's thread; each stateless handle (7, 20 .. 22, one
     * a module) its module's second service. */
    for (uint32_t k = 0; k < 4; k++) {
        const struct sm_partition *p = module_thread(k)->part;
        for (uint32_t s = p->first_service; s < p->first_service + p->service_count; s++) {
            assert_int_equal(sm_services[s].partition, module_thread(k)->index);
        }
    }
    static const uint8_t handles[] = {7, 20, 21, 22};
    for (uint32_t i = 0; i < sizeof(handles); i++) {
        const uint8_t h = handles[i];
        const uint32_t si = sm_stateless_map[h] - 1u;
        assert_true(si >= sm_builtin_service_count && si < sm_service_count);
        assert_true(sm_services[si].stateless);
        assert_int_equal(sm_threads[sm_services[si].partition].part->first_service + 1u, si);
    }
    /* NS agent and idle keep their places after the module slots. */
    assert_ptr_equal(sm_ns_agent(), &sm_threads[sm_partition_count + SM_MODULE_SLOTS_MAX]);
}

/* The services table is bounded (sm_service_capacity): with room for one service left, a
 * module of two is refused; with room for two, it loads. */
static void test_table_full(void **state)
{
    (void)state;
    slot(0, 0x4001, 0, 7, "KEY_VAULT");
    sm_kernel_init();
    sm_service_count = sm_service_capacity - 1u; /* as if other modules had taken the rest */
    assert_int_equal(load_more(1), 0);
    assert_non_null(strstr(out, "module slot 0: refused: no room left for its services"));
    assert_int_equal(sm_module_count, 0);
    assert_int_equal(sm_service_count, sm_service_capacity - 1u);
    sm_kernel_init();
    sm_service_count = sm_service_capacity - 2u;
    assert_int_equal(load_more(1), 1);
    assert_int_equal(sm_service_count, sm_service_capacity);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted),
        cmocka_unit_test(test_client_view),
        cmocka_unit_test(test_refused_id),
        cmocka_unit_test(test_refused_name),
        cmocka_unit_test(test_refused_sid),
        cmocka_unit_test(test_refused_handle),
        cmocka_unit_test(test_collisions_between_modules),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_bad_pointer),
        cmocka_unit_test(test_code_past_payload),
        cmocka_unit_test(test_priority_order),
        cmocka_unit_test(test_table_full),
        cmocka_unit_test(test_refused_build_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
