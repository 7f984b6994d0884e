/*
 * sm_update_proto.c: see sm_update_proto.h. Each parser checks the whole payload length for
 * its type before reading a field, then each field in order; the encoders apply the same
 * rules, so that what one end sends the other end accepts, and nothing else.
 */
#include "sm_update_proto.h"

#include <string.h>

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static int zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != 0u) {
            return 0;
        }
    }
    return 1;
}

/* The payload length a request type must have; DATA's is its least (one data byte). */
static int request_length(uint8_t type, size_t *len)
{
    switch (type) {
    case SM_UP_HELLO:
    case SM_UP_INSTALL:
    case SM_UP_REBOOT:
        *len = 0;
        return 0;
    case SM_UP_START:
        *len = SM_UP_COMPONENT_HEADER + 4u;
        return 0;
    case SM_UP_DATA:
        *len = SM_UP_DATA_HEADER + 1u;
        return 0;
    case SM_UP_FINISH:
    case SM_UP_CLEAN:
        *len = SM_UP_COMPONENT_HEADER;
        return 0;
    default:
        return -1;
    }
}

int sm_up_parse_request(const struct sm_frame *f, struct sm_up_request *out)
{
    memset(out, 0, sizeof(*out));
    out->type = f->type;
    out->seq = f->seq;
    size_t want;
    if (request_length(f->type, &want) != 0) {
        return SM_UP_BAD_TYPE;
    }
    const uint8_t *p = f->payload;
    if (f->type == SM_UP_DATA ? f->len < want || f->len > SM_UP_DATA_HEADER + SM_UP_DATA_MAX
                              : f->len != want) {
        return SM_UP_BAD_LENGTH;
    }
    if (want == 0u) {
        return SM_UP_OK;
    }
    if (!zero(p + 1, SM_UP_COMPONENT_HEADER - 1u)) {
        return SM_UP_BAD_RESERVED;
    }
    if (p[0] >= SM_UP_COMPONENT_MAX) {
        return SM_UP_BAD_COMPONENT;
    }
    uint32_t size = 0, offset = 0;
    if (f->type == SM_UP_START) {
        size = le32(p + SM_UP_COMPONENT_HEADER);
        if (size == 0u) {
            return SM_UP_BAD_RANGE;
        }
    }
    if (f->type == SM_UP_DATA) {
        offset = le32(p + SM_UP_COMPONENT_HEADER);
        if (offset % SM_UP_DATA_ALIGN != 0u) {
            return SM_UP_BAD_ALIGN;
        }
        if (offset > UINT32_MAX - (f->len - SM_UP_DATA_HEADER)) {
            return SM_UP_BAD_RANGE;
        }
        out->data = p + SM_UP_DATA_HEADER;
        out->data_len = (uint16_t)(f->len - SM_UP_DATA_HEADER);
    }
    out->component = p[0];
    out->size = size;
    out->offset = offset;
    return SM_UP_OK;
}

int sm_up_encode_request(const struct sm_up_request *r, uint8_t out[SM_FRAME_PAYLOAD_MAX])
{
    size_t want;
    if (request_length(r->type, &want) != 0) {
        return -1;
    }
    if (want == 0u) {
        return 0; /* an empty payload */
    }
    if (r->component >= SM_UP_COMPONENT_MAX) {
        return -1;
    }
    memset(out, 0, SM_UP_COMPONENT_HEADER);
    out[0] = r->component;
    if (r->type == SM_UP_START) {
        if (r->size == 0u) {
            return -1;
        }
        put32(out + SM_UP_COMPONENT_HEADER, r->size);
    }
    if (r->type == SM_UP_DATA) {
        if (r->data_len == 0u || r->data_len > SM_UP_DATA_MAX || r->data == NULL ||
            r->offset % SM_UP_DATA_ALIGN != 0u || r->offset > UINT32_MAX - r->data_len) {
            return -1;
        }
        put32(out + SM_UP_COMPONENT_HEADER, r->offset);
        memcpy(out + SM_UP_DATA_HEADER, r->data, r->data_len);
        return (int)(SM_UP_DATA_HEADER + r->data_len);
    }
    return (int)want;
}

int sm_up_parse_info(const struct sm_frame *f, struct sm_up_info *out)
{
    memset(out, 0, sizeof(*out));
    out->seq = f->seq;
    if (f->type != SM_UP_INFO) {
        return SM_UP_BAD_TYPE;
    }
    const uint8_t *p = f->payload;
    if (f->len < SM_UP_INFO_HEADER) {
        return SM_UP_BAD_LENGTH;
    }
    const uint8_t count = p[1];
    if (count > SM_UP_COMPONENT_MAX) {
        return SM_UP_BAD_RANGE;
    }
    if (f->len != SM_UP_INFO_HEADER + (size_t)count * SM_UP_COMPONENT_SIZE) {
        return SM_UP_BAD_LENGTH;
    }
    if (!zero(p + 2, 2)) {
        return SM_UP_BAD_RESERVED;
    }
    if (p[0] == 0u) {
        return SM_UP_BAD_RANGE; /* version 0 is no version */
    }
    struct sm_up_component c[SM_UP_COMPONENT_MAX];
    memset(c, 0, sizeof(c));
    uint8_t seen = 0;
    for (uint8_t i = 0; i < count; i++) {
        const uint8_t *q = p + SM_UP_INFO_HEADER + (size_t)i * SM_UP_COMPONENT_SIZE;
        if (!zero(q + 2, 2)) {
            return SM_UP_BAD_RESERVED;
        }
        if (q[0] >= SM_UP_COMPONENT_MAX || (seen & (1u << q[0])) != 0u) {
            return SM_UP_BAD_COMPONENT; /* out of range, or listed twice */
        }
        if (q[1] > SM_UP_STATE_MAX) {
            return SM_UP_BAD_RANGE;
        }
        seen = (uint8_t)(seen | 1u << q[0]);
        c[i].id = q[0];
        c[i].state = q[1];
        c[i].error = (int32_t)le32(q + 4);
        c[i].major = q[8];
        c[i].minor = q[9];
        c[i].patch = le16(q + 10);
        c[i].build = le32(q + 12);
        c[i].max_size = le32(q + 16);
        c[i].flags = le32(q + 20);
    }
    out->version = p[0];
    out->count = count;
    out->boot_count = le32(p + 4);
    memcpy(out->c, c, (size_t)count * sizeof(c[0]));
    return SM_UP_OK;
}

int sm_up_encode_info(const struct sm_up_info *i, uint8_t out[SM_FRAME_PAYLOAD_MAX])
{
    if (i->count > SM_UP_COMPONENT_MAX || i->version == 0u) {
        return -1;
    }
    uint8_t seen = 0;
    for (uint8_t k = 0; k < i->count; k++) {
        const struct sm_up_component *c = &i->c[k];
        if (c->id >= SM_UP_COMPONENT_MAX || (seen & (1u << c->id)) != 0u ||
            c->state > SM_UP_STATE_MAX) {
            return -1;
        }
        seen = (uint8_t)(seen | 1u << c->id);
    }
    memset(out, 0, SM_UP_INFO_HEADER + (size_t)i->count * SM_UP_COMPONENT_SIZE);
    out[0] = i->version;
    out[1] = i->count;
    put32(out + 4, i->boot_count);
    for (uint8_t k = 0; k < i->count; k++) {
        const struct sm_up_component *c = &i->c[k];
        uint8_t *q = out + SM_UP_INFO_HEADER + (size_t)k * SM_UP_COMPONENT_SIZE;
        q[0] = c->id;
        q[1] = c->state;
        put32(q + 4, (uint32_t)c->error);
        q[8] = c->major;
        q[9] = c->minor;
        put16(q + 10, c->patch);
        put32(q + 12, c->build);
        put32(q + 16, c->max_size);
        put32(q + 20, c->flags);
    }
    return (int)(SM_UP_INFO_HEADER + (size_t)i->count * SM_UP_COMPONENT_SIZE);
}

static int status_fields_ok(uint8_t request, uint8_t component, uint8_t state, uint8_t reason)
{
    /* The request a STATUS answers: any, even one the device does not know, but not a reply. */
    return (request & SM_UP_REPLY_BIT) == 0u && request != 0u &&
           (component < SM_UP_COMPONENT_MAX || component == SM_UP_NONE) &&
           (state <= SM_UP_STATE_MAX || state == SM_UP_NONE) && reason <= SM_UP_REASON_MAX;
}

int sm_up_parse_status(const struct sm_frame *f, struct sm_up_status *out)
{
    memset(out, 0, sizeof(*out));
    out->seq = f->seq;
    if (f->type != SM_UP_STATUS) {
        return SM_UP_BAD_TYPE;
    }
    if (f->len != SM_UP_STATUS_SIZE) {
        return SM_UP_BAD_LENGTH;
    }
    const uint8_t *p = f->payload;
    if (!status_fields_ok(p[0], p[1], p[2], p[3])) {
        return SM_UP_BAD_RANGE;
    }
    out->request = p[0];
    out->component = p[1];
    out->state = p[2];
    out->reason = p[3];
    out->status = (int32_t)le32(p + 4);
    out->value = le32(p + 8);
    return SM_UP_OK;
}

int sm_up_encode_status(const struct sm_up_status *s, uint8_t out[SM_FRAME_PAYLOAD_MAX])
{
    if (!status_fields_ok(s->request, s->component, s->state, s->reason)) {
        return -1;
    }
    out[0] = s->request;
    out[1] = s->component;
    out[2] = s->state;
    out[3] = s->reason;
    put32(out + 4, (uint32_t)s->status);
    put32(out + 8, s->value);
    return (int)SM_UP_STATUS_SIZE;
}

const char *sm_up_request_name(uint8_t type)
{
    switch (type) {
    case SM_UP_HELLO:
        return "hello";
    case SM_UP_START:
        return "start";
    case SM_UP_DATA:
        return "data";
    case SM_UP_FINISH:
        return "finish";
    case SM_UP_INSTALL:
        return "install";
    case SM_UP_REBOOT:
        return "reboot";
    case SM_UP_CLEAN:
        return "clean";
    default:
        return "?";
    }
}
