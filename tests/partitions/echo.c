/*
 * echo.c: test partition TEST_ECHO (see test_services.h). Serves every request type the tests
 * need to see the message path: whole and partial reads, skips, split writes, statuses,
 * per-connection state through rhandles (TEST_ECHO_SERVICE only, at most 8 connections),
 * doorbells, client ids.
 */
#include <stdint.h>

#include "psa/service.h"
#include "psa_manifest/echo.h"
#include "sm/sm_service.h"
#include "test_services.h"

#define CONN_STATES 8

static uint32_t calls, doorbells;
static uint8_t bulk[1024];
static struct {
    uint32_t used, calls;
} conn_state[CONN_STATES];

static psa_status_t copy(const psa_msg_t *msg)
{
    uint8_t buf[64];
    int32_t total = 0;
    for (uint32_t i = 0; i < PSA_MAX_IOVEC; i++) {
        size_t room = msg->out_size[i], n;
        while ((n = psa_read(msg->handle, i, buf, sizeof(buf))) > 0) {
            size_t k = n < room ? n : room;
            psa_write(msg->handle, i, buf, k);
            room -= k;
            total += (int32_t)k;
        }
    }
    return total;
}

static psa_status_t partial(const psa_msg_t *msg)
{
    uint8_t buf[3];
    size_t n, written = 0;
    while ((n = psa_read(msg->handle, 0, buf, sizeof(buf))) > 0) {
        size_t k = n < msg->out_size[0] - written ? n : msg->out_size[0] - written;
        psa_write(msg->handle, 0, buf, k);
        written += k;
        psa_skip(msg->handle, 0, 1);
    }
    return (psa_status_t)written;
}

static psa_status_t call(const psa_msg_t *msg)
{
    calls++;
    switch (msg->type) {
    case ECHO_COPY:
        return copy(msg);
    case ECHO_PARTIAL:
        return partial(msg);
    case ECHO_STATUS: {
        int32_t status = 0;
        if (psa_read(msg->handle, 0, &status, sizeof(status)) != sizeof(status)) {
            return PSA_ERROR_INVALID_ARGUMENT;
        }
        return status;
    }
    case ECHO_COUNT:
        return (psa_status_t)calls;
    case ECHO_CONN_CALLS:
        if (msg->rhandle == NULL) {
            return PSA_ERROR_BAD_STATE;
        }
        return (psa_status_t)((uint32_t *)msg->rhandle)[1];
    case ECHO_EMPTY:
        return PSA_SUCCESS;
    case ECHO_DOORBELLS:
        return (psa_status_t)doorbells;
    case ECHO_WRITE_SPLIT: {
        uint8_t buf[32];
        size_t n = psa_read(msg->handle, 0, buf, sizeof(buf));
        if (n > msg->out_size[0]) {
            n = msg->out_size[0];
        }
        psa_write(msg->handle, 0, buf, n / 2);
        psa_write(msg->handle, 0, buf + n / 2, n - n / 2);
        return (psa_status_t)n;
    }
    case ECHO_CLIENT_ID:
        return msg->client_id;
    case ECHO_BULK: {
        size_t n = psa_read(msg->handle, 0, bulk, sizeof(bulk));
        n = n < msg->out_size[0] ? n : msg->out_size[0];
        psa_write(msg->handle, 0, bulk, n);
        return (psa_status_t)n;
    }
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

/* The answer to msg, the message of service signal `signal`. */
static psa_status_t serve(psa_signal_t signal, psa_msg_t *msg)
{
    psa_status_t status = PSA_SUCCESS;
    if (msg->type == PSA_IPC_CONNECT) {
        if (signal == TEST_REFUSE_SIGNAL) {
            status = PSA_ERROR_CONNECTION_REFUSED;
        } else if (signal == TEST_ECHO_SERVICE_SIGNAL) {
            status = PSA_ERROR_CONNECTION_BUSY;
            for (uint32_t i = 0; i < CONN_STATES; i++) {
                if (!conn_state[i].used) {
                    conn_state[i].used = 1;
                    conn_state[i].calls = 0;
                    psa_set_rhandle(msg->handle, &conn_state[i]);
                    status = PSA_SUCCESS;
                    break;
                }
            }
        } /* else no per-connection state */
    } else if (msg->type == PSA_IPC_DISCONNECT) {
        if (msg->rhandle != NULL) {
            ((uint32_t *)msg->rhandle)[0] = 0;
        }
    } else {
        if (msg->rhandle != NULL) {
            ((uint32_t *)msg->rhandle)[1]++;
        }
        status = call(msg);
    }
    return status;
}

/* Each answer, the next wait and its psa_get are one kernel entry (sm_reply_get, over every
 * signal of the partition): a wake-up with several service signals brings the lowest one's
 * message, and the next sm_reply_get returns at once with the others. */
void echo_main(void)
{
    const psa_signal_t services = TEST_ECHO_SERVICE_SIGNAL | TEST_ECHO_STATELESS_SIGNAL |
                                  TEST_SECURE_ONLY_SIGNAL | TEST_RELAXED_SIGNAL |
                                  TEST_REFUSE_SIGNAL;
    psa_msg_t msg;
    psa_signal_t signals = sm_reply_get(PSA_NULL_HANDLE, PSA_SUCCESS, PSA_WAIT_ANY, &msg);
    for (;;) {
        if (signals & PSA_DOORBELL) {
            doorbells++;
            psa_clear();
        }
        psa_handle_t h = PSA_NULL_HANDLE;
        psa_status_t status = PSA_SUCCESS;
        const psa_signal_t s = signals & services;
        if (s != 0u) {
            status = serve(s & (~s + 1u), &msg);
            h = msg.handle;
        }
        signals = sm_reply_get(h, status, PSA_WAIT_ANY, &msg);
    }
}
