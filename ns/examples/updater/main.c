/*
 * updater: the NS application that takes firmware updates over its serial line (issue #13),
 * from `smtool update --port` (tools/smtool/cmd_update.c), with the messages of
 * protocol/sm_update_proto.h in the frames of protocol/sm_frame.h
 * (docs/design/serial-frames.md, "The update protocol").
 *
 * At each boot:
 *   1. a component on trial (the boot stage installed an update and started it): the self-test
 *      of the new version; passed, psa_fwu_accept and psa_fwu_clean of what it confirmed;
 *      failed, psa_fwu_reject and a reboot, which reverts it;
 *   2. then it serves requests for ever: HELLO answers the components' states and versions and
 *      opens a session; START, DATA, FINISH, INSTALL, REBOOT and CLEAN call psa_fwu_* and answer
 *      with the status the service returned. A refused image (finish fails) is cleaned at once,
 *      so the device is as it was before.
 *
 * Every frame is hostile input: it is parsed by sm_up_parse_request (every field checked), and
 * the session's own rules bound it further: requests only after a HELLO in this boot; DATA and
 * FINISH only for the component last started, data only inside the size START declared, in
 * order (a block may be sent again, never past a gap), every block but the last a whole number
 * of 16-byte units; FINISH only once every byte arrived. A request the sender repeats (the
 * same frame again, because it lost the answer) gets the same answer again without being
 * carried out twice. Steps are printed as "updater: ..." lines on the same line, which the host
 * shows.
 *
 * UPDATER_SELFTEST_FAILS (a test build): the self-test fails, to show a rejected trial.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "psa/internal_trusted_storage.h"
#include "psa/update.h"
#include "sm_frame.h"
#include "sm_update_proto.h"
#include "smak.h"

_Static_assert(SM_UP_COMPONENT_MAX == PSA_FWU_COMPONENT_COUNT, "the protocol's component ids");
_Static_assert(SM_UP_STATE_MAX == PSA_FWU_UPDATED, "the protocol's component states");
_Static_assert(SM_UP_DATA_ALIGN == 1u << PSA_FWU_LOG2_WRITE_ALIGN, "the write alignment");

static const char *const state_names[] = {"READY",  "WRITING", "CANDIDATE", "STAGED",
                                          "FAILED", "TRIAL",   "REJECTED",  "UPDATED"};
static const char *const component_names[] = {"uRoT",     "SM",       "NS",      "module 0",
                                              "module 1", "module 2", "module 3"};

static struct sm_frame_rx rx;
static uint8_t tx[SM_FRAME_MAX];
static uint8_t payload[SM_FRAME_PAYLOAD_MAX];

static struct {
    bool open;           /* a HELLO came in this boot */
    bool downloading;    /* START succeeded, FINISH not yet */
    uint8_t component;   /* the component started */
    uint32_t size, next; /* size declared at START; bytes received in order */
    bool have_last;      /* the last request and its answer, for a repeated frame */
    uint8_t last_seq;
    uint32_t last_crc;
    uint8_t last[SM_FRAME_HEADER + SM_UP_STATUS_SIZE + SM_FRAME_CRC];
    size_t last_len;
} s;

static uint8_t state_of(uint8_t c)
{
    psa_fwu_component_info_t info;
    return psa_fwu_query(c, &info) == PSA_SUCCESS && info.state <= PSA_FWU_UPDATED ? info.state
                                                                                   : SM_UP_NONE;
}

static void send_frame(uint8_t type, uint8_t seq, int len)
{
    const size_t n = sm_frame_encode(type, seq, payload, (size_t)len, tx, sizeof(tx));
    if (len >= 0 && n != 0u) {
        smak_serial_write(tx, (unsigned)n);
    }
}

static void send_info(uint8_t seq)
{
    struct sm_up_info info = {.seq = seq, .version = SM_UP_VERSION};
    info.boot_count = smak_boot_count();
    for (uint8_t c = 0; c < PSA_FWU_COMPONENT_COUNT; c++) {
        psa_fwu_component_info_t q;
        if (psa_fwu_query(c, &q) != PSA_SUCCESS || q.state > PSA_FWU_UPDATED) {
            continue; /* not provisioned on this device (DOES_NOT_EXIST) */
        }
        struct sm_up_component *o = &info.c[info.count++];
        o->id = c;
        o->state = q.state;
        o->error = q.error;
        o->major = q.version.major;
        o->minor = q.version.minor;
        o->patch = q.version.patch;
        o->build = q.version.build;
        o->max_size = q.max_size;
        o->flags = q.flags;
    }
    send_frame(SM_UP_INFO, seq, sm_up_encode_info(&info, payload));
}

/* Answers a request with a STATUS and keeps the frame for a repeat of the request. */
static void send_status(const struct sm_frame *f, uint32_t crc, uint8_t component, uint8_t reason,
                        psa_status_t status)
{
    const struct sm_up_status st = {
        .seq = f->seq,
        .request = f->type,
        .component = component,
        .state = component != SM_UP_NONE ? state_of(component) : SM_UP_NONE,
        .reason = reason,
        .status = status,
        .value = s.next,
    };
    const int len = sm_up_encode_status(&st, payload);
    const size_t n = len < 0 ? 0
                             : sm_frame_encode(SM_UP_STATUS, f->seq, payload, (size_t)len, s.last,
                                               sizeof(s.last));
    s.have_last = n != 0u;
    s.last_seq = f->seq;
    s.last_crc = crc;
    s.last_len = n;
    if (n != 0u) {
        smak_serial_write(s.last, (unsigned)n);
    }
}

static void print_version(const char *what, uint8_t c)
{
    psa_fwu_component_info_t q;
    if (psa_fwu_query(c, &q) == PSA_SUCCESS) {
        smak_printf("updater: %s %s %u.%u.%u+%u (%s), security counter %u\n", what,
                    component_names[c], q.version.major, q.version.minor, q.version.patch,
                    (unsigned)q.version.build,
                    q.state <= PSA_FWU_UPDATED ? state_names[q.state] : "?",
                    (unsigned)q.impl.min_security_counter);
    }
}

static void start(const struct sm_frame *f, uint32_t crc, const struct sm_up_request *r)
{
    psa_fwu_component_info_t q;
    psa_status_t st = psa_fwu_query(r->component, &q);
    if (st != PSA_SUCCESS) {
        send_status(f, crc, SM_UP_NONE, SM_UP_BY_SERVICE, st);
        return;
    }
    if (r->size > q.max_size) {
        send_status(f, crc, r->component, SM_UP_E_BOUNDS, PSA_ERROR_INVALID_ARGUMENT);
        return;
    }
    st = psa_fwu_start(r->component, NULL, 0);
    if (st == PSA_SUCCESS) {
        s.downloading = true;
        s.component = r->component;
        s.size = r->size;
        s.next = 0;
        smak_printf("updater: receiving a %s image of %u bytes\n", component_names[r->component],
                    (unsigned)r->size);
    }
    send_status(f, crc, r->component, SM_UP_BY_SERVICE, st);
}

static void data(const struct sm_frame *f, uint32_t crc, const struct sm_up_request *r)
{
    if (!s.downloading || r->component != s.component) {
        send_status(f, crc, r->component, SM_UP_E_NOT_STARTED, PSA_ERROR_BAD_STATE);
        return;
    }
    /* offset + data_len does not wrap (the parser checked). */
    const uint32_t end = r->offset + r->data_len;
    if (r->offset > s.next || end > s.size || (end % SM_UP_DATA_ALIGN != 0u && end != s.size)) {
        send_status(f, crc, r->component, SM_UP_E_BOUNDS, PSA_ERROR_INVALID_ARGUMENT);
        return;
    }
    const psa_status_t st = psa_fwu_write(r->component, r->offset, r->data, r->data_len);
    if (st == PSA_SUCCESS && end > s.next) {
        s.next = end;
    }
    send_status(f, crc, r->component, SM_UP_BY_SERVICE, st);
}

static void finish(const struct sm_frame *f, uint32_t crc, const struct sm_up_request *r)
{
    if (!s.downloading || r->component != s.component) {
        send_status(f, crc, r->component, SM_UP_E_NOT_STARTED, PSA_ERROR_BAD_STATE);
        return;
    }
    if (s.next != s.size) {
        send_status(f, crc, r->component, SM_UP_E_INCOMPLETE, PSA_ERROR_INSUFFICIENT_DATA);
        return;
    }
    s.downloading = false;
    const psa_status_t st = psa_fwu_finish(r->component);
    if (st == PSA_SUCCESS) {
        smak_printf("updater: %s image verified: candidate\n", component_names[r->component]);
    } else {
        /* Refused: discarded at once, so the device is as it was. */
        const psa_status_t c = psa_fwu_clean(r->component);
        smak_printf("updater: %s image refused at finish (status %d), %s\n",
                    component_names[r->component], (int)st,
                    c == PSA_SUCCESS ? "discarded" : "could not be discarded");
    }
    send_status(f, crc, r->component, SM_UP_BY_SERVICE, st);
}

/* Back to READY from wherever a download was left (an earlier session cut short). */
static void clean(const struct sm_frame *f, uint32_t crc, const struct sm_up_request *r)
{
    const uint8_t c = r->component;
    psa_status_t st = PSA_SUCCESS;
    uint8_t state = state_of(c);
    if (state == SM_UP_NONE) {
        psa_fwu_component_info_t q;
        send_status(f, crc, SM_UP_NONE, SM_UP_BY_SERVICE, psa_fwu_query(c, &q));
        return;
    }
    if (state == PSA_FWU_STAGED) {
        st = psa_fwu_reject(PSA_ERROR_GENERIC_ERROR); /* the staged install dropped */
        state = state_of(c);
    }
    if (st == PSA_SUCCESS && (state == PSA_FWU_WRITING || state == PSA_FWU_CANDIDATE)) {
        st = psa_fwu_cancel(c);
        state = state_of(c);
    }
    if (st == PSA_SUCCESS && (state == PSA_FWU_FAILED || state == PSA_FWU_UPDATED)) {
        st = psa_fwu_clean(c);
        state = state_of(c);
    }
    if (st == PSA_SUCCESS && state != PSA_FWU_READY) {
        st = PSA_ERROR_BAD_STATE; /* TRIAL or REJECTED: the boot decides */
    }
    if (s.component == c) {
        s.downloading = false;
    }
    send_status(f, crc, c, SM_UP_BY_SERVICE, st);
}

static void handle(const struct sm_frame *f)
{
    if ((f->type & SM_UP_REPLY_BIT) != 0u) {
        return; /* a reply: not for this end */
    }
    const uint8_t head[4] = {f->type, f->seq, (uint8_t)f->len, (uint8_t)(f->len >> 8)};
    const uint32_t crc = sm_frame_crc32(sm_frame_crc32(0, head, 4), f->payload, f->len);
    if (f->type != SM_UP_HELLO && s.have_last && f->seq == s.last_seq && crc == s.last_crc) {
        smak_serial_write(s.last, (unsigned)s.last_len); /* a repeat: the same answer */
        return;
    }
    struct sm_up_request r;
    const int rc = sm_up_parse_request(f, &r);
    if (rc == SM_UP_BAD_TYPE) {
        send_status(f, crc, SM_UP_NONE, SM_UP_E_UNKNOWN, PSA_ERROR_NOT_SUPPORTED);
        return;
    }
    if (rc != SM_UP_OK) {
        send_status(f, crc, SM_UP_NONE, SM_UP_E_MALFORMED, PSA_ERROR_INVALID_ARGUMENT);
        return;
    }
    if (r.type == SM_UP_HELLO) {
        /* A new session: whatever the last one left in the service stays there (the host sees
         * it in the answer and cleans it); the session's own state starts over. */
        memset(&s, 0, sizeof(s));
        s.open = true;
        send_info(f->seq);
        return;
    }
    if (!s.open) {
        send_status(f, crc, SM_UP_NONE, SM_UP_E_NO_SESSION, PSA_ERROR_BAD_STATE);
        return;
    }
    switch (r.type) {
    case SM_UP_START:
        start(f, crc, &r);
        return;
    case SM_UP_DATA:
        data(f, crc, &r);
        return;
    case SM_UP_FINISH:
        finish(f, crc, &r);
        return;
    case SM_UP_CLEAN:
        clean(f, crc, &r);
        return;
    case SM_UP_INSTALL: {
        const psa_status_t st = psa_fwu_install();
        smak_printf("updater: install: status %d\n", (int)st);
        send_status(f, crc, SM_UP_NONE, SM_UP_BY_SERVICE, st);
        return;
    }
    default: { /* SM_UP_REBOOT */
        smak_printf("updater: rebooting\n");
        send_status(f, crc, SM_UP_NONE, SM_UP_BY_SERVICE, PSA_SUCCESS);
        const psa_status_t st = psa_fwu_request_reboot();
        smak_printf("updater: the reboot was refused (status %d)\n", (int)st);
        return;
    }
    }
}

/* The new version's self-test, before it is accepted: the services it relies on answer (every
 * component's state, a round trip through Internal Trusted Storage), and the version running
 * is the one the update service reports on trial. */
static bool self_test(void)
{
#ifdef UPDATER_SELFTEST_FAILS
    smak_printf("updater: self-test: this build fails it on purpose\n");
    return false;
#else
    for (uint8_t c = 0; c < PSA_FWU_COMPONENT_COUNT; c++) {
        psa_fwu_component_info_t q;
        const psa_status_t st = psa_fwu_query(c, &q);
        if (st != PSA_SUCCESS && st != PSA_ERROR_DOES_NOT_EXIST) {
            smak_printf("updater: self-test: query of %s: status %d\n", component_names[c],
                        (int)st);
            return false;
        }
    }
    static const uint8_t probe[16] = "updater probe";
    uint8_t back[sizeof(probe)];
    size_t got = 0;
    const psa_storage_uid_t uid = 0x55504454u; /* "UPDT" */
    if (psa_its_set(uid, sizeof(probe), probe, 0) != PSA_SUCCESS ||
        psa_its_get(uid, 0, sizeof(back), back, &got) != PSA_SUCCESS || got != sizeof(probe) ||
        memcmp(back, probe, sizeof(probe)) != 0 || psa_its_remove(uid) != PSA_SUCCESS) {
        smak_printf("updater: self-test: the ITS round trip failed\n");
        return false;
    }
    return true;
#endif
}

static void trial(void)
{
    bool on_trial = false;
    for (uint8_t c = 0; c < PSA_FWU_COMPONENT_COUNT; c++) {
        if (state_of(c) == PSA_FWU_TRIAL) {
            print_version("on trial:", c);
            on_trial = true;
        }
    }
    if (!on_trial) {
        return;
    }
    if (!self_test()) {
        const psa_status_t st = psa_fwu_reject(PSA_ERROR_GENERIC_ERROR);
        smak_printf("updater: self-test failed: rejected (status %d), rebooting\n", (int)st);
        (void)psa_fwu_request_reboot();
        smak_printf("updater: the reboot was refused\n");
        return;
    }
    const psa_status_t st = psa_fwu_accept();
    if (st != PSA_SUCCESS) {
        smak_printf("updater: self-test passed, but accept failed (status %d)\n", (int)st);
        return;
    }
    for (uint8_t c = 0; c < PSA_FWU_COMPONENT_COUNT; c++) {
        if (state_of(c) == PSA_FWU_UPDATED) {
            print_version("self-test passed, accepted", c);
            (void)psa_fwu_clean(c); /* the download slot held the replaced image */
        }
    }
}

int main(void)
{
    smak_serial_open();
    smak_printf("updater: boot %u\n", (unsigned)smak_boot_count());
    print_version("running", PSA_FWU_COMPONENT_NS);
    trial();
    smak_printf("updater: waiting for an update on the serial line\n");
    sm_frame_rx_init(&rx);
    for (;;) {
        const int b = smak_serial_getc();
        if (b >= 0 && sm_frame_feed(&rx, (uint8_t)b) == SM_FRAME_OK) {
            handle(&rx.frame);
        }
    }
}
