/*
 * test_sm_ipc.c: the SM core's message path on the host, through the PSA client API of the
 * host library (the program is the non-secure client) and the test partitions
 * (tests/partitions): connect, calls with several vectors, partial reads and writes, replies,
 * close, stateless services, partition-to-partition calls, doorbells, interrupts; and every
 * error case: each must give its FF-M outcome and change nothing. Cases that stop a partition
 * run in a child process so that each starts from a fresh SM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "psa/client.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "sm_host.h"
#include "test_services.h"

static psa_status_t echo_count(void)
{
    return psa_call(TEST_ECHO_STATELESS_HANDLE, ECHO_COUNT, NULL, 0, NULL, 0);
}

static void test_versions(void **state)
{
    (void)state;
    assert_int_equal(psa_framework_version(), 0x0101);
    assert_int_equal(psa_version(TEST_ECHO_SERVICE_SID), 1);
    assert_int_equal(psa_version(TEST_RELAXED_SID), 3);
    assert_int_equal(psa_version(TEST_SECURE_ONLY_SID), PSA_VERSION_NONE);
    assert_int_equal(psa_version(0xDEADBEEF), PSA_VERSION_NONE);
}

static void test_connect_call_close(void **state)
{
    (void)state;
    psa_handle_t h = psa_connect(TEST_ECHO_SERVICE_SID, 1);
    assert_true(h > 0);
    uint8_t a[5] = {1, 2, 3, 4, 5}, b[70], oa[5] = {0}, ob[100];
    for (size_t i = 0; i < sizeof(b); i++) {
        b[i] = (uint8_t)(i * 7);
    }
    memset(ob, 0xEE, sizeof(ob));
    psa_invec in[2] = {{a, sizeof(a)}, {b, sizeof(b)}};
    psa_outvec out[2] = {{oa, sizeof(oa)}, {ob, sizeof(ob)}};
    assert_int_equal(psa_call(h, ECHO_COPY, in, 2, out, 2), 75);
    assert_memory_equal(oa, a, 5);
    assert_memory_equal(ob, b, 70);
    assert_int_equal(ob[70], 0xEE);  /* nothing past what the service wrote */
    assert_int_equal(out[0].len, 5); /* each output length is now what was written */
    assert_int_equal(out[1].len, 70);
    assert_int_equal(psa_call(h, ECHO_CLIENT_ID, NULL, 0, NULL, 0), -1);
    psa_close(h);
    assert_int_equal(sm_host_open_connections(), 0);
    /* The closed handle is now invalid. */
    assert_int_equal(psa_call(h, ECHO_EMPTY, NULL, 0, NULL, 0), PSA_ERROR_PROGRAMMER_ERROR);
}

static void test_partial_reads_and_writes(void **state)
{
    (void)state;
    psa_handle_t h = psa_connect(TEST_ECHO_SERVICE_SID, 1);
    const char text[] = "abcdefghij";
    char out[16] = {0};
    psa_invec in = {text, 10};
    psa_outvec o = {out, sizeof(out)};
    assert_int_equal(psa_call(h, ECHO_PARTIAL, &in, 1, &o, 1), 8);
    assert_string_equal(out, "abcefgij");
    assert_int_equal(o.len, 8);
    memset(out, 0, sizeof(out));
    o.len = sizeof(out);
    assert_int_equal(psa_call(h, ECHO_WRITE_SPLIT, &in, 1, &o, 1), 10);
    assert_int_equal(o.len, 10);
    assert_string_equal(out, "abcdefghij");
    /* An output vector shorter than the input: the service writes only what fits. */
    psa_outvec small = {out, 4};
    memset(out, 0, sizeof(out));
    assert_int_equal(psa_call(h, ECHO_COPY, &in, 1, &small, 1), 4);
    assert_string_equal(out, "abcd");
    psa_close(h);
}

static void test_status_and_rhandle(void **state)
{
    (void)state;
    psa_handle_t h1 = psa_connect(TEST_ECHO_SERVICE_SID, 1);
    psa_handle_t h2 = psa_connect(TEST_ECHO_SERVICE_SID, 1);
    assert_true(h1 > 0 && h2 > 0 && h1 != h2);
    int32_t statuses[] = {0, 42, PSA_ERROR_INVALID_ARGUMENT, PSA_ERROR_GENERIC_ERROR};
    for (size_t i = 0; i < 4; i++) {
        psa_invec in = {&statuses[i], 4};
        assert_int_equal(psa_call(h1, ECHO_STATUS, &in, 1, NULL, 0), statuses[i]);
    }
    /* Per-connection state: h1 has had 4 calls, h2 none. */
    assert_int_equal(psa_call(h1, ECHO_CONN_CALLS, NULL, 0, NULL, 0), 5);
    assert_int_equal(psa_call(h2, ECHO_CONN_CALLS, NULL, 0, NULL, 0), 1);
    psa_close(h1);
    psa_close(h2);
    psa_close(PSA_NULL_HANDLE); /* ignored */
    assert_int_equal(sm_host_open_connections(), 0);
}

static void test_stateless_and_versions(void **state)
{
    (void)state;
    assert_int_equal(psa_call(TEST_ECHO_STATELESS_HANDLE, ECHO_EMPTY, NULL, 0, NULL, 0), 0);
    /* The same index with another version, and an index no service has. */
    psa_handle_t wrong = (psa_handle_t)(((uint32_t)TEST_ECHO_STATELESS_HANDLE & ~0xFF00u) | 0x100u);
    assert_int_equal(psa_call(wrong, ECHO_EMPTY, NULL, 0, NULL, 0), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(psa_call(0x4000021F, ECHO_EMPTY, NULL, 0, NULL, 0),
                     PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(psa_connect(TEST_ECHO_STATELESS_SID, 2), PSA_ERROR_PROGRAMMER_ERROR);
    /* Strict policy: only the exact version; relaxed: any up to the service's. */
    assert_int_equal(psa_connect(TEST_ECHO_SERVICE_SID, 2), PSA_ERROR_PROGRAMMER_ERROR);
    for (uint32_t v = 1; v <= 3; v++) {
        psa_handle_t h = psa_connect(TEST_RELAXED_SID, v);
        assert_true(h > 0);
        psa_close(h);
    }
    assert_int_equal(psa_connect(TEST_RELAXED_SID, 4), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(psa_connect(TEST_RELAXED_SID, 0), PSA_ERROR_PROGRAMMER_ERROR);
}

static void test_refusals(void **state)
{
    (void)state;
    assert_int_equal(psa_connect(0xDEADBEEF, 1), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(psa_connect(TEST_SECURE_ONLY_SID, 1), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(psa_connect(TEST_REFUSE_SID, 1), PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(sm_host_open_connections(), 0);
    /* The service has room for 8 connections: the 9th is answered busy, nothing leaks. */
    psa_handle_t h[8];
    for (int i = 0; i < 8; i++) {
        h[i] = psa_connect(TEST_ECHO_SERVICE_SID, 1);
        assert_true(h[i] > 0);
    }
    assert_int_equal(psa_connect(TEST_ECHO_SERVICE_SID, 1), PSA_ERROR_CONNECTION_BUSY);
    assert_int_equal(sm_host_open_connections(), 8);
    /* The NS world's share of the SM's table (16) runs out too: TEST_RELAXED has no limit of
     * its own. */
    psa_handle_t r[8];
    for (int i = 0; i < 8; i++) {
        r[i] = psa_connect(TEST_RELAXED_SID, 3);
        assert_true(r[i] > 0);
    }
    assert_int_equal(psa_connect(TEST_RELAXED_SID, 3), PSA_ERROR_CONNECTION_BUSY);
    for (int i = 0; i < 8; i++) {
        psa_close(h[i]);
        psa_close(r[i]);
    }
    assert_int_equal(sm_host_open_connections(), 0);
}

/* TEST_CLIENT holds connections to TEST_SECURE_ONLY: n more (CLIENT_CONNS) or none
 * (CLIENT_CLOSE); *held is how many it holds then. */
static psa_status_t client_conns(int32_t type, uint32_t n, uint32_t *held)
{
    psa_invec in = {&n, sizeof(n)};
    psa_outvec out = {held, sizeof(*held)};
    *held = 0xFFFFFFFFu;
    return psa_call(TEST_CLIENT_SERVICE_HANDLE, type, &in, 1, &out, type == CLIENT_CONNS);
}

#define NS_CONNECTIONS     16 /* the NS world's share (tools/smgen/smgen.py, docs: Quotas) */
#define CLIENT_CONNECTIONS 3  /* TEST_CLIENT's: one per connection-based dependency */

/* The NS world connects until it is refused; returns how many it got (h[0..n-1]). */
static int ns_take_all(psa_handle_t *h, int max)
{
    int n = 0;
    while (n < max) {
        psa_handle_t c = psa_connect(TEST_RELAXED_SID, 3);
        if (c <= 0) {
            assert_int_equal(c, PSA_ERROR_CONNECTION_BUSY);
            break;
        }
        h[n++] = c;
    }
    return n;
}

/* Connection slots are reserved per client: one client using up its share gets
 * PSA_ERROR_CONNECTION_BUSY and takes nothing from another, which still connects; after a close
 * the first connects again. */
static void test_connection_quotas(void **state)
{
    (void)state;
    psa_handle_t h[40];
    uint32_t held = 0;
    /* The NS world takes all it can: its share, not the partitions'. */
    int n = ns_take_all(h, 40);
    assert_int_equal(n, NS_CONNECTIONS);
    assert_int_equal(psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_P2P, NULL, 0, NULL, 0), 0);
    assert_int_equal(client_conns(CLIENT_CONNS, CLIENT_CONNECTIONS, &held), PSA_SUCCESS);
    assert_int_equal(held, CLIENT_CONNECTIONS);
    /* Now both shares are used up: each is refused, and the refusal takes nothing. */
    assert_int_equal(client_conns(CLIENT_CONNS, 1, &held), PSA_ERROR_CONNECTION_BUSY);
    assert_int_equal(held, CLIENT_CONNECTIONS);
    assert_int_equal(psa_connect(TEST_RELAXED_SID, 3), PSA_ERROR_CONNECTION_BUSY);
    assert_int_equal(sm_host_open_connections(), NS_CONNECTIONS + CLIENT_CONNECTIONS);
    /* A close gives the client its slot back, and only that client. */
    psa_close(h[0]);
    assert_int_equal(client_conns(CLIENT_CONNS, 1, &held), PSA_ERROR_CONNECTION_BUSY);
    h[0] = psa_connect(TEST_RELAXED_SID, 3);
    assert_true(h[0] > 0);
    assert_int_equal(client_conns(CLIENT_CLOSE, 0, &held), PSA_SUCCESS);
    assert_int_equal(client_conns(CLIENT_CONNS, 1, &held), PSA_SUCCESS);
    assert_int_equal(held, 1);
    for (int i = 0; i < n; i++) {
        psa_close(h[i]);
    }
    assert_int_equal(client_conns(CLIENT_CLOSE, 0, &held), PSA_SUCCESS);

    /* The other way round: the partition takes all it can (it asks for more than the whole
     * table), and the NS world still gets its share. */
    assert_int_equal(client_conns(CLIENT_CONNS, CLIENT_CONNS_MAX, &held),
                     PSA_ERROR_CONNECTION_BUSY);
    assert_int_equal(held, CLIENT_CONNECTIONS);
    n = ns_take_all(h, 40);
    assert_int_equal(n, NS_CONNECTIONS);
    for (int i = 0; i < n; i++) {
        psa_close(h[i]);
    }
    assert_int_equal(client_conns(CLIENT_CLOSE, 0, &held), PSA_SUCCESS);
    assert_int_equal(sm_host_open_connections(), 0);
}

static void test_bad_calls_change_nothing(void **state)
{
    (void)state;
    psa_handle_t h = psa_connect(TEST_ECHO_SERVICE_SID, 1);
    uint8_t buf[32], out[32];
    memset(buf, 0x5A, sizeof(buf));
    memset(out, 0xEE, sizeof(out));
    psa_status_t before = echo_count();
    psa_invec in = {buf, sizeof(buf)};
    psa_outvec o = {out, sizeof(out)};
    psa_invec in4[5] = {{buf, 1}, {buf, 1}, {buf, 1}, {buf, 1}, {buf, 1}};
    psa_outvec o2[2] = {{out, 16}, {out + 8, 16}};
    psa_invec null_in = {NULL, 4};
    psa_invec wrap_in = {buf, SIZE_MAX};
    psa_outvec wrap_out = {out, SIZE_MAX - 8};
    struct {
        psa_handle_t h;
        int32_t type;
        const psa_invec *in;
        size_t in_len;
        psa_outvec *out;
        size_t out_len;
    } bad[] = {
        {h, -1, &in, 1, &o, 1},                  /* negative type */
        {h, INT16_MAX + 1, &in, 1, &o, 1},       /* type too large */
        {h, ECHO_COPY, in4, 5, NULL, 0},         /* too many vectors */
        {h, ECHO_COPY, in4, 3, o2, 2},           /* 3 + 2 vectors */
        {h, ECHO_COPY, &null_in, 1, &o, 1},      /* NULL input with a length */
        {h, ECHO_COPY, &wrap_in, 1, &o, 1},      /* input wraps the address space */
        {h, ECHO_COPY, &in, 1, &wrap_out, 1},    /* output wraps */
        {h, ECHO_COPY, NULL, 1, &o, 1},          /* no vector array */
        {h, ECHO_COPY, NULL, 0, o2, 2},          /* outputs overlap each other */
        {0, ECHO_COPY, &in, 1, &o, 1},           /* null handle */
        {-5, ECHO_COPY, &in, 1, &o, 1},          /* negative handle */
        {h + 0x10000, ECHO_COPY, &in, 1, &o, 1}, /* stale generation */
        {h + 1, ECHO_COPY, &in, 1, &o, 1},       /* another slot */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(
            psa_call(bad[i].h, bad[i].type, bad[i].in, bad[i].in_len, bad[i].out, bad[i].out_len),
            PSA_ERROR_PROGRAMMER_ERROR);
    }
    for (size_t i = 0; i < sizeof(out); i++) {
        assert_int_equal(out[i], 0xEE);
    }
    assert_int_equal(echo_count(), before + 1); /* only the count call itself reached it */
    /* Inputs may overlap each other. */
    psa_invec two[2] = {{buf, 8}, {buf + 4, 8}};
    psa_outvec outs[2] = {{out, 8}, {out + 8, 8}};
    assert_int_equal(psa_call(h, ECHO_COPY, two, 2, outs, 2), 16);
    /* An output may overlap an input (in place): the service reads before it writes. */
    uint8_t place[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    psa_invec pin = {place, 8};
    psa_outvec pout = {place, 8};
    assert_int_equal(psa_call(h, ECHO_COPY, &pin, 1, &pout, 1), 8);
    assert_int_equal(place[7], 8);
    assert_int_equal(pout.len, 8);
    psa_close(h);
    psa_close(h); /* a second close is an invalid handle: ignored for a non-secure caller */
    assert_int_equal(sm_host_open_connections(), 0);
}

static void test_ten_thousand_calls(void **state)
{
    (void)state;
    uint32_t word = 0x12345678, back = 0;
    for (int i = 0; i < 10000; i++) {
        psa_handle_t h = psa_connect(TEST_ECHO_SERVICE_SID, 1);
        if (h <= 0) {
            fail_msg("connect %d failed: %d", i, (int)h);
        }
        psa_invec in = {&word, 4};
        psa_outvec out = {&back, 4};
        if (psa_call(h, ECHO_COPY, &in, 1, &out, 1) != 4 || back != word) {
            fail_msg("call %d failed", i);
        }
        psa_close(h);
        word++;
    }
    assert_int_equal(sm_host_open_connections(), 0);
}

static void test_partition_to_partition(void **state)
{
    (void)state;
    assert_int_equal(psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_P2P, NULL, 0, NULL, 0), 0);
    uint32_t n = 50;
    psa_invec in = {&n, 4};
    assert_int_equal(psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_P2P_EMPTY, &in, 1, NULL, 0), 0);
    assert_int_equal(psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_P2P_1K, &in, 1, NULL, 0), 0);
    assert_int_equal(sm_host_open_connections(), 0);
}

static void test_doorbell(void **state)
{
    (void)state;
    psa_status_t before = psa_call(TEST_ECHO_STATELESS_HANDLE, ECHO_DOORBELLS, NULL, 0, NULL, 0);
    assert_int_equal(psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_NOTIFY, NULL, 0, NULL, 0), 0);
    assert_int_equal(psa_call(TEST_ECHO_STATELESS_HANDLE, ECHO_DOORBELLS, NULL, 0, NULL, 0),
                     before + 1);
}

static void test_interrupt(void **state)
{
    (void)state;
    /* Raised before the partition enables its line: held pending, delivered at enable. */
    sm_host_raise_irq(TEST_TIMER_IRQ);
    assert_int_equal(psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_COUNT, NULL, 0, NULL, 0), 0);
    uint32_t ticks = 100;
    psa_invec in = {&ticks, 4};
    assert_int_equal(psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_START, &in, 1, NULL, 0), 0);
    assert_int_equal(psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_COUNT, NULL, 0, NULL, 0), 1);
    sm_host_raise_irq(TEST_TIMER_IRQ);
    sm_host_raise_irq(TEST_TIMER_IRQ);
    assert_int_equal(psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_COUNT, NULL, 0, NULL, 0), 3);
}

static psa_status_t tick_start(uint32_t target, uint32_t mode)
{
    struct timer_tick_start t = {.reload = 1, .target = target, .mode = mode};
    psa_invec in = {&t, sizeof(t)};
    return psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_TICK_START, &in, 1, NULL, 0);
}

static psa_status_t tick_count(void)
{
    return psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_TICK_COUNT, NULL, 0, NULL, 0);
}

/* First-level: the handler runs at each interrupt, the signal only when it asks. */
static void test_first_level_interrupt(void **state)
{
    (void)state;
    assert_int_equal(tick_start(3, TICK_COUNT), PSA_SUCCESS);
    sm_host_raise_irq(TEST_TICK_IRQ);
    sm_host_raise_irq(TEST_TICK_IRQ);
    assert_int_equal(tick_count(), 2);
    sm_host_raise_irq(TEST_TICK_IRQ);
    assert_int_equal(tick_count(), 3 | 1 << 16);
    /* Again, from the start. */
    assert_int_equal(tick_start(1, TICK_COUNT), PSA_SUCCESS);
    sm_host_raise_irq(TEST_TICK_IRQ);
    assert_int_equal(tick_count(), 1 | 1 << 16);
    assert_false(sm_host_partition_stopped("TEST_TIMER"));
}

/* A handler result that is no psa_flih_result_t stops the partition (in a child). */
static void test_first_level_bad_result(void **state)
{
    (void)state;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int ok = tick_start(2, TICK_BAD_RESULT) == PSA_SUCCESS;
        sm_host_raise_irq(TEST_TICK_IRQ);
        ok = ok && sm_host_partition_stopped("TEST_TIMER");
        ok = ok && tick_count() == PSA_ERROR_SERVICE_FAILURE;
        ok = ok && psa_call(TEST_ECHO_STATELESS_HANDLE, ECHO_EMPTY, NULL, 0, NULL, 0) == 0;
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* In a child: ask TEST_FAULT to misbehave with `type`; check the outcome and that everything
 * else still works. Returns 0 or the failing check's line. */
#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            return __LINE__;                                                                       \
        }                                                                                          \
    } while (0)

static int fault_case(int32_t type, psa_status_t expected, int stops)
{
    psa_handle_t h = psa_connect(TEST_FAULT_SERVICE_SID, 1);
    CHECK(h > 0);
    uint8_t in_buf[4] = {1, 2, 3, 4}, out_buf[4] = {0};
    psa_invec in = {in_buf, 4};
    psa_outvec out = {out_buf, 4};
    CHECK(psa_call(h, type, &in, 1, &out, 1) == expected);
    CHECK(sm_host_partition_stopped("TEST_FAULT") == (stops != 0));
    CHECK(psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_P2P, NULL, 0, NULL, 0) == 0);
    if (stops) {
        CHECK(psa_call(h, FAULT_OK, NULL, 0, NULL, 0) == PSA_ERROR_SERVICE_FAILURE);
        CHECK(psa_connect(TEST_FAULT_SERVICE_SID, 1) == PSA_ERROR_CONNECTION_REFUSED);
        psa_close(h);
    } else {
        /* A reply of PSA_ERROR_PROGRAMMER_ERROR breaks only that connection. */
        CHECK(psa_call(h, FAULT_OK, NULL, 0, NULL, 0) == PSA_ERROR_PROGRAMMER_ERROR);
        psa_close(h);
        h = psa_connect(TEST_FAULT_SERVICE_SID, 1);
        CHECK(h > 0 && psa_call(h, FAULT_OK, NULL, 0, NULL, 0) == PSA_SUCCESS);
        psa_close(h);
    }
    CHECK(sm_host_open_connections() == 0);
    return 0;
}

static void run_fault_case(int32_t type, psa_status_t expected, int stops)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        _exit(fault_case(type, expected, stops) & 0xFF);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) != 0) {
        fail_msg("fault type %d: check failed near line %d (mod 256)", (int)type,
                 WEXITSTATUS(status));
    }
}

static void test_partition_faults(void **state)
{
    (void)state;
    run_fault_case(FAULT_PANIC, PSA_ERROR_SERVICE_FAILURE, 1);
    run_fault_case(FAULT_WRITE_PAST_END, PSA_ERROR_SERVICE_FAILURE, 1);
    run_fault_case(FAULT_READ_INTO_OTHER, PSA_ERROR_SERVICE_FAILURE, 1);
    run_fault_case(FAULT_UNDECLARED_CONNECT, PSA_ERROR_SERVICE_FAILURE, 1);
    run_fault_case(FAULT_RETURN, PSA_ERROR_SERVICE_FAILURE, 1);
    run_fault_case(FAULT_WAIT_NOTHING, PSA_ERROR_SERVICE_FAILURE, 1);
    run_fault_case(FAULT_REPLY_WAIT_BAD, PSA_ERROR_SERVICE_FAILURE, 1);
    run_fault_case(FAULT_REPLY_GET_BAD, PSA_ERROR_SERVICE_FAILURE, 1);
    run_fault_case(FAULT_REPLY_GET_OTHER, PSA_ERROR_SERVICE_FAILURE, 1);
    run_fault_case(FAULT_FLASH_INTO_OTHER, PSA_ERROR_SERVICE_FAILURE, 1);
    run_fault_case(FAULT_KEY_INTO_OTHER, PSA_ERROR_SERVICE_FAILURE, 1);
    run_fault_case(FAULT_REPLY_PROGRAMMER_ERROR, PSA_ERROR_PROGRAMMER_ERROR, 0);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    sm_host_start();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_connect_call_close),
        cmocka_unit_test(test_partial_reads_and_writes),
        cmocka_unit_test(test_status_and_rhandle),
        cmocka_unit_test(test_stateless_and_versions),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_connection_quotas),
        cmocka_unit_test(test_bad_calls_change_nothing),
        cmocka_unit_test(test_ten_thousand_calls),
        cmocka_unit_test(test_partition_to_partition),
        cmocka_unit_test(test_doorbell),
        cmocka_unit_test(test_interrupt),
        cmocka_unit_test(test_first_level_interrupt),
        cmocka_unit_test(test_first_level_bad_result),
        cmocka_unit_test(test_partition_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
