/*
 * prov_core.c: see prov_core.h.
 */
#include "prov_core.h"

#include <stddef.h>
#include <string.h>

#include "bl_crypto.h"
#include "bl_lifecycle.h"
#include "bl_otp.h"
#include "bl_p256.h"
#include "bl_status.h"
#include "prov_install.h"
#include "sm_prov_proto.h"

bool prov_needs_oem(uint32_t from, uint32_t to)
{
    /* Before PSA_ROT_PROVISIONING the chip holds nothing of the OEM's (and no OEM key): the
     * factory moves it on, or scraps it, alone. From then on the OEM decides. */
    (void)to;
    return from != BL_LIFECYCLE_ASSEMBLY_AND_TEST;
}

static bool chip_id(uint8_t id[16])
{
    if (bl_chip_check() != BL_OK) {
        memset(id, 0, 16);
        return false;
    }
    return bl_chip_read_field(offsetof(struct bl_chip, cert.chip_id), id, 16) == BL_OK;
}

static int status(uint8_t *type, uint8_t *out, uint8_t request, uint8_t reason, int rc)
{
    uint32_t now = 0, transitions;
    if (bl_lifecycle_now(&now, &transitions) != BL_OK) {
        now = 0;
    }
    const struct sm_prov_status s = {
        .request = request, .reason = reason, .status = rc, .lifecycle = now};
    *type = SM_PROV_STATUS;
    return sm_prov_encode_status(&s, out);
}

static int hello(uint8_t *type, uint8_t *out)
{
    uint8_t cert[SM_PROV_CERT_SIZE];
    uint32_t now, transitions;
    int rc = bl_lifecycle_now(&now, &transitions);
    if (rc != BL_OK) {
        return status(type, out, SM_PROV_HELLO, SM_PROV_E_STORE, rc);
    }
    uint16_t flags = bl_otp_check() == BL_OK ? SM_PROV_HAS_DEVICE : 0u;
    memset(cert, 0, sizeof(cert));
    if (bl_chip_check() == BL_OK &&
        bl_chip_read_field(offsetof(struct bl_chip, cert), cert, sizeof(cert)) == BL_OK) {
        flags |= SM_PROV_HAS_CHIP;
    }
    const struct sm_prov_info info = {.version = SM_PROV_VERSION,
                                      .flags = flags,
                                      .lifecycle = now,
                                      .transitions = transitions,
                                      .cert = cert};
    *type = SM_PROV_INFO;
    return sm_prov_encode_info(&info, out);
}

static int lifecycle(const struct sm_prov_request *r, uint8_t *type, uint8_t *out)
{
    uint32_t now, transitions;
    int rc = bl_lifecycle_now(&now, &transitions);
    if (rc != BL_OK) {
        return status(type, out, r->type, SM_PROV_E_STORE, rc);
    }
    if (now != BL_LIFECYCLE_ASSEMBLY_AND_TEST && now != BL_LIFECYCLE_PSA_ROT_PROVISIONING) {
        return status(type, out, r->type, SM_PROV_E_LOCKED, BL_E_LIFECYCLE);
    }
    if (r->transitions != transitions) {
        return status(type, out, r->type, SM_PROV_E_STALE, BL_E_LIFECYCLE);
    }
    if (!bl_lifecycle_allowed(now, r->to)) {
        return status(type, out, r->type, SM_PROV_E_NOT_ALLOWED, BL_E_LIFECYCLE);
    }
    if (prov_needs_oem(now, r->to)) {
        /* The OEM's key: its lifecycle key from the OEM record an install package wrote
         * (install-package.md); on a device provisioned offline (no OEM record at all) the
         * NS image signing key, the only key of the OEM's such a device holds. */
        struct bl_key oem;
        uint8_t id[16], digest[32];
        (void)chip_id(id);
        if (!r->is_signed || bl_otp_check() != BL_OK) {
            return status(type, out, r->type, SM_PROV_E_UNAUTHORISED, BL_E_KEY);
        }
        rc = bl_oem_key(oem.pub);
        if (rc == BL_E_EMPTY) {
            rc = bl_otp_key(BL_KIND_NS, &oem);
        }
        if (rc != BL_OK) {
            return status(type, out, r->type, SM_PROV_E_UNAUTHORISED, BL_E_KEY);
        }
        bl_lifecycle_digest(id, transitions, r->to, digest);
        if (bl_p256_verify(r->sig, oem.pub, digest) != P256_SUCCESS) {
            return status(type, out, r->type, SM_PROV_E_UNAUTHORISED, BL_E_SIG);
        }
    }
    rc = bl_lifecycle_set(r->to);
    if (rc == BL_OK && r->to == BL_LIFECYCLE_DECOMMISSIONED) {
        rc = bl_lifecycle_end();
    }
    return status(type, out, r->type, rc == BL_OK ? SM_PROV_DONE : SM_PROV_E_STORE, rc);
}

#ifdef PROV_NO_INSTALL
/* The board's stage without the install (boot/prov/CMakeLists.txt: it does not fit the stage's
 * region yet, docs/design/lifecycle.md "What remains"): BEGIN and CHUNK are requests it does
 * not know. */
static int install(const struct sm_prov_request *r, uint8_t *type, uint8_t *out)
{
    return status(type, out, r->type, SM_PROV_E_UNKNOWN, BL_E_UNSUPPORTED);
}
#else
/* BEGIN and CHUNK, in a provisioning state only (prov_install.h). */
static int install(const struct sm_prov_request *r, uint8_t *type, uint8_t *out)
{
    uint32_t now, transitions;
    int rc = bl_lifecycle_now(&now, &transitions);
    if (rc != BL_OK) {
        prov_install_end();
        return status(type, out, r->type, SM_PROV_E_STORE, rc);
    }
    if (now != BL_LIFECYCLE_ASSEMBLY_AND_TEST && now != BL_LIFECYCLE_PSA_ROT_PROVISIONING) {
        prov_install_end();
        return status(type, out, r->type, SM_PROV_E_LOCKED, BL_E_LIFECYCLE);
    }
    if (r->type == SM_PROV_BEGIN) {
        const uint8_t reason = prov_install_begin(r, &rc);
        return status(type, out, r->type, reason, rc);
    }
    struct sm_prov_result res = {.st = {.request = SM_PROV_CHUNK}};
    const uint8_t reason = prov_install_chunk(r, &rc, res.iak_pub);
    bool last = false;
    if (reason == SM_PROV_DONE) {
        /* The last chunk's answer is the RESULT; the others a STATUS. */
        for (size_t i = 0; i < sizeof(res.iak_pub); i++) {
            last |= res.iak_pub[i] != 0u;
        }
    }
    if (!last) {
        return status(type, out, r->type, reason, rc);
    }
    res.st.lifecycle = now;
    *type = SM_PROV_RESULT;
    return sm_prov_encode_result(&res, out);
}
#endif

/* The last answer, kept with a digest of the request it answered (type, sequence number,
 * payload): the same frame again is answered the same, not carried out twice (the
 * programmer sends a request again when its answer is lost; serial-frames.md). Only for
 * CHUNK, whose effects (a session's progress, the commit) a second run would refuse. */
static struct {
    bool valid;
    uint8_t request[32];
    uint8_t type;
    int len;
    uint8_t reply[SM_PROV_RESULT_SIZE];
} last;

static void request_digest(const struct sm_frame *f, uint8_t d[32])
{
    struct bl_sha256 h;
    const uint8_t head[2] = {f->type, f->seq};
    bl_sha256_start(&h);
    bl_sha256_update(&h, head, sizeof(head));
    bl_sha256_update(&h, f->payload, f->len);
    bl_sha256_finish(&h, d);
}

int prov_handle(const struct sm_frame *f, uint8_t *reply_type, uint8_t reply[SM_FRAME_PAYLOAD_MAX])
{
    if (f->type & 0x80u) {
        return -1;
    }
    uint8_t d[32];
    request_digest(f, d);
    if (f->type == SM_PROV_CHUNK && last.valid && bl_ct_equal(d, last.request, sizeof(d))) {
        *reply_type = last.type;
        memcpy(reply, last.reply, (size_t)last.len);
        return last.len;
    }
    last.valid = false;
    struct sm_prov_request r;
    const int prc = sm_prov_parse_request(f, &r);
    int n;
    if (prc == SM_PROV_BAD_TYPE) {
        n = status(reply_type, reply, 0, SM_PROV_E_UNKNOWN, BL_E_UNSUPPORTED);
    } else if (prc != SM_PROV_OK) {
        n = status(reply_type, reply, f->type, SM_PROV_E_MALFORMED, BL_E_HEADER);
    } else if (r.type == SM_PROV_HELLO) {
        n = hello(reply_type, reply);
    } else if (r.type == SM_PROV_LIFECYCLE) {
        prov_install_end(); /* a session does not survive a transition */
        n = lifecycle(&r, reply_type, reply);
    } else {
        n = install(&r, reply_type, reply);
        if (r.type == SM_PROV_CHUNK && n > 0 && n <= (int)sizeof(last.reply)) {
            last.valid = true;
            memcpy(last.request, d, sizeof(d));
            last.type = *reply_type;
            last.len = n;
            memcpy(last.reply, reply, (size_t)n);
        }
    }
    return n;
}
