/*
 * sm_prov_proto.c: see sm_prov_proto.h. Each parser checks the whole payload length for its
 * type before reading a field, then each field in order; the encoders apply the same rules.
 */
#include "sm_prov_proto.h"

#include <string.h>

#include "sm_pkg.h"

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static bool zero(const uint8_t *p, size_t n)
{
    uint8_t any = 0;
    for (size_t i = 0; i < n; i++) {
        any |= p[i];
    }
    return any == 0u;
}

/* A STATUS's request field: a request type, or 0 for one the stage does not know. */
static bool request_known(uint8_t t)
{
    return t == 0u || (t >= SM_PROV_HELLO && t <= SM_PROV_CHUNK);
}

bool sm_prov_state_known(uint32_t state)
{
    /* PSA Security Model: 0x1000 ASSEMBLY_AND_TEST .. 0x6000 DECOMMISSIONED (bl_otp.h). */
    return (state & 0x0FFFu) == 0u && state >= 0x1000u && state <= 0x6000u;
}

/* BEGIN: id 16, chunks 4, length 4, begin tag 32, wrap 129 (an uncompressed point first), 0 3. */
static int parse_begin(const struct sm_frame *f, struct sm_prov_request *out)
{
    const uint8_t *p = f->payload;
    if (f->len != SM_PROV_BEGIN_SIZE) {
        return SM_PROV_BAD_LENGTH;
    }
    if (!zero(p + 185, 3)) {
        return SM_PROV_BAD_RESERVED;
    }
    if (!sm_pkg_counts_ok(le32(p + 16), le32(p + 20)) || p[56] != 0x04u) {
        return SM_PROV_BAD_RANGE;
    }
    memcpy(out->id, p, 16);
    out->chunks = le32(p + 16);
    out->length = le32(p + 20);
    memcpy(out->begin_tag, p + 24, 32);
    memcpy(out->wrap, p + 56, sizeof(out->wrap));
    return SM_PROV_OK;
}

int sm_prov_parse_request(const struct sm_frame *f, struct sm_prov_request *out)
{
    memset(out, 0, sizeof(*out));
    out->type = f->type;
    out->seq = f->seq;
    const uint8_t *p = f->payload;
    switch (f->type) {
    case SM_PROV_HELLO:
        return f->len == 0u ? SM_PROV_OK : SM_PROV_BAD_LENGTH;
    case SM_PROV_LIFECYCLE:
        break;
    case SM_PROV_BEGIN:
        return parse_begin(f, out);
    case SM_PROV_CHUNK:
        /* The chunk's own fields are sm_pkg_parse_chunk's, against the session's BEGIN. */
        if (f->len < SM_PROV_CHUNK_MIN || f->len > SM_PROV_CHUNK_MAXLEN) {
            return SM_PROV_BAD_LENGTH;
        }
        out->chunk = f->payload;
        out->chunk_len = f->len;
        return SM_PROV_OK;
    default:
        return SM_PROV_BAD_TYPE;
    }
    if (f->len != SM_PROV_LIFECYCLE_SIZE) {
        return SM_PROV_BAD_LENGTH;
    }
    const uint32_t to = le32(p), transitions = le32(p + 4);
    const uint8_t flags = p[8];
    if ((flags & (uint8_t)~SM_PROV_SIGNED) != 0u || !zero(p + 9, 3)) {
        return SM_PROV_BAD_RESERVED;
    }
    if (!sm_prov_state_known(to) || (!(flags & SM_PROV_SIGNED) && !zero(p + 12, 64))) {
        return SM_PROV_BAD_RANGE;
    }
    out->to = to;
    out->transitions = transitions;
    out->is_signed = (flags & SM_PROV_SIGNED) != 0u;
    memcpy(out->sig, p + 12, 64);
    return SM_PROV_OK;
}

int sm_prov_parse_info(const struct sm_frame *f, struct sm_prov_info *out)
{
    memset(out, 0, sizeof(*out));
    out->seq = f->seq;
    const uint8_t *p = f->payload;
    if (f->type != SM_PROV_INFO) {
        return SM_PROV_BAD_TYPE;
    }
    if (f->len != SM_PROV_INFO_SIZE) {
        return SM_PROV_BAD_LENGTH;
    }
    const uint16_t flags = (uint16_t)(p[2] | p[3] << 8);
    if (p[1] != 0u || (flags & (uint16_t)~SM_PROV_INFO_FLAGS) != 0u) {
        return SM_PROV_BAD_RESERVED;
    }
    if (p[0] != SM_PROV_VERSION || !sm_prov_state_known(le32(p + 4))) {
        return SM_PROV_BAD_RANGE;
    }
    out->version = p[0];
    out->flags = flags;
    out->lifecycle = le32(p + 4);
    out->transitions = le32(p + 8);
    out->cert = p + 12;
    return SM_PROV_OK;
}

int sm_prov_parse_status(const struct sm_frame *f, struct sm_prov_status *out)
{
    memset(out, 0, sizeof(*out));
    out->seq = f->seq;
    const uint8_t *p = f->payload;
    if (f->type != SM_PROV_STATUS) {
        return SM_PROV_BAD_TYPE;
    }
    if (f->len != SM_PROV_STATUS_SIZE) {
        return SM_PROV_BAD_LENGTH;
    }
    if (!zero(p + 2, 2)) {
        return SM_PROV_BAD_RESERVED;
    }
    const uint32_t lifecycle = le32(p + 8);
    if (!request_known(p[0]) || p[1] > SM_PROV_REASON_MAX ||
        (lifecycle != 0u && !sm_prov_state_known(lifecycle))) {
        return SM_PROV_BAD_RANGE;
    }
    out->request = p[0];
    out->reason = p[1];
    out->status = (int32_t)le32(p + 4);
    out->lifecycle = lifecycle;
    return SM_PROV_OK;
}

int sm_prov_encode_request(const struct sm_prov_request *r, uint8_t out[SM_FRAME_PAYLOAD_MAX])
{
    if (r->type == SM_PROV_HELLO) {
        return 0;
    }
    if (r->type == SM_PROV_BEGIN) {
        if (!sm_pkg_counts_ok(r->chunks, r->length) || r->wrap[0] != 0x04u) {
            return -1;
        }
        memcpy(out, r->id, 16);
        put32(out + 16, r->chunks);
        put32(out + 20, r->length);
        memcpy(out + 24, r->begin_tag, 32);
        memcpy(out + 56, r->wrap, sizeof(r->wrap));
        memset(out + 185, 0, 3);
        return (int)SM_PROV_BEGIN_SIZE;
    }
    if (r->type == SM_PROV_CHUNK) {
        if (r->chunk == NULL || r->chunk_len < SM_PROV_CHUNK_MIN ||
            r->chunk_len > SM_PROV_CHUNK_MAXLEN) {
            return -1;
        }
        memmove(out, r->chunk, r->chunk_len);
        return (int)r->chunk_len;
    }
    if (r->type != SM_PROV_LIFECYCLE || !sm_prov_state_known(r->to) ||
        (!r->is_signed && !zero(r->sig, sizeof(r->sig)))) {
        return -1;
    }
    put32(out, r->to);
    put32(out + 4, r->transitions);
    out[8] = r->is_signed ? SM_PROV_SIGNED : 0u;
    memset(out + 9, 0, 3);
    memcpy(out + 12, r->sig, 64);
    return (int)SM_PROV_LIFECYCLE_SIZE;
}

int sm_prov_encode_info(const struct sm_prov_info *i, uint8_t out[SM_FRAME_PAYLOAD_MAX])
{
    if (i->version != SM_PROV_VERSION || (i->flags & (uint16_t)~SM_PROV_INFO_FLAGS) != 0u ||
        !sm_prov_state_known(i->lifecycle) || i->cert == NULL) {
        return -1;
    }
    out[0] = i->version;
    out[1] = 0;
    out[2] = (uint8_t)i->flags;
    out[3] = (uint8_t)(i->flags >> 8);
    put32(out + 4, i->lifecycle);
    put32(out + 8, i->transitions);
    memcpy(out + 12, i->cert, SM_PROV_CERT_SIZE);
    return (int)SM_PROV_INFO_SIZE;
}

int sm_prov_encode_status(const struct sm_prov_status *s, uint8_t out[SM_FRAME_PAYLOAD_MAX])
{
    if (!request_known(s->request) || s->reason > SM_PROV_REASON_MAX ||
        (s->lifecycle != 0u && !sm_prov_state_known(s->lifecycle))) {
        return -1;
    }
    out[0] = s->request;
    out[1] = s->reason;
    out[2] = 0;
    out[3] = 0;
    put32(out + 4, (uint32_t)s->status);
    put32(out + 8, s->lifecycle);
    return (int)SM_PROV_STATUS_SIZE;
}

int sm_prov_parse_result(const struct sm_frame *f, struct sm_prov_result *out)
{
    memset(out, 0, sizeof(*out));
    out->st.seq = f->seq;
    if (f->type != SM_PROV_RESULT) {
        return SM_PROV_BAD_TYPE;
    }
    if (f->len != SM_PROV_RESULT_SIZE) {
        return SM_PROV_BAD_LENGTH;
    }
    /* Its first 12 bytes read as a STATUS, which must say the last CHUNK was done. */
    const struct sm_frame st = {
        .type = SM_PROV_STATUS, .seq = f->seq, .len = SM_PROV_STATUS_SIZE, .payload = f->payload};
    const int rc = sm_prov_parse_status(&st, &out->st);
    if (rc != SM_PROV_OK) {
        memset(out, 0, sizeof(*out));
        out->st.seq = f->seq;
        return rc;
    }
    if (out->st.request != SM_PROV_CHUNK || out->st.reason != SM_PROV_DONE || out->st.status != 0 ||
        zero(f->payload + SM_PROV_STATUS_SIZE, 64)) {
        memset(out, 0, sizeof(*out));
        out->st.seq = f->seq;
        return SM_PROV_BAD_RANGE;
    }
    memcpy(out->iak_pub, f->payload + SM_PROV_STATUS_SIZE, 64);
    return SM_PROV_OK;
}

int sm_prov_encode_result(const struct sm_prov_result *r, uint8_t out[SM_FRAME_PAYLOAD_MAX])
{
    if (r->st.request != SM_PROV_CHUNK || r->st.reason != SM_PROV_DONE || r->st.status != 0 ||
        zero(r->iak_pub, 64) || sm_prov_encode_status(&r->st, out) < 0) {
        return -1;
    }
    memcpy(out + SM_PROV_STATUS_SIZE, r->iak_pub, 64);
    return (int)SM_PROV_RESULT_SIZE;
}

const char *sm_prov_reason_text(uint8_t reason)
{
    switch (reason) {
    case SM_PROV_DONE:
        return "done";
    case SM_PROV_E_MALFORMED:
        return "malformed request";
    case SM_PROV_E_UNKNOWN:
        return "unknown request";
    case SM_PROV_E_NOT_ALLOWED:
        return "the lifecycle does not move from its state to that one";
    case SM_PROV_E_UNAUTHORISED:
        return "the transition needs the OEM's signature";
    case SM_PROV_E_STALE:
        return "stale transition count (a replayed authorisation)";
    case SM_PROV_E_STORE:
        return "the lifecycle store failed";
    case SM_PROV_E_LOCKED:
        return "not in a provisioning state (ASSEMBLY_AND_TEST or PSA_ROT_PROVISIONING)";
    case SM_PROV_E_NOT_FOR_CHIP:
        return "the package is not wrapped for this chip";
    case SM_PROV_E_TAMPERED:
        return "the package does not authenticate (altered)";
    case SM_PROV_E_SEQUENCE:
        return "chunk out of order (no BEGIN, another index, or past the end)";
    case SM_PROV_E_CONFIG:
        return "the package's configuration is refused";
    case SM_PROV_E_PROVISIONED:
        return "the device is provisioned already";
    case SM_PROV_E_IMAGE:
        return "an image of the package is refused";
    case SM_PROV_E_WRITE:
        return "writing the device's records failed";
    default:
        return "?";
    }
}
