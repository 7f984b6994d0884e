/*
 * fuzz_update_proto.c: libFuzzer harness for the update protocol's message parsers
 * (protocol/sm_update_proto.h), the device's (requests) and the host's (INFO, STATUS).
 *
 * Input: [0] mode: bit 0 set, [1] is a frame type, [2] a sequence number and the rest one
 * frame's payload, copied to a buffer of exactly its length (so a read past it is an ASan
 * finding); bit 0 clear, the rest is a byte stream fed to the frame decoder, and every frame it
 * reports goes to the parsers, as on the device.
 * Oracles, for every frame:
 * - sm_up_parse_request returns exactly what an independent reading of the format in
 *   serial-frames.md says (the length rule of each type, then reserved bytes, component, START's
 *   size, DATA's alignment and wrap, in that order); accepted, each field is the bytes at its
 *   place, DATA's data points into the payload and ends at its end, and sm_up_encode_request
 *   gives back the same payload; refused, the output holds only the type and sequence;
 * - sm_up_parse_info and sm_up_parse_status accept exactly what the independent reading
 *   accepts, with the fields at their places, and encode back to the same payload;
 * - the parsers never read outside the payload nor write outside their output (ASan).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "fuzz_frames.h"
#include "sm_update_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The format, read again: the exact status the request parser must return. */
static int ref_request(uint8_t type, const uint8_t *p, size_t len)
{
    /* type: {fixed length or -1 for DATA, has a component header} */
    static const struct {
        uint8_t type;
        int len;
    } layout[] = {{0x01, 0}, {0x02, 8}, {0x03, -1}, {0x04, 4}, {0x05, 0}, {0x06, 0}, {0x07, 4}};
    int want = -2;
    for (size_t i = 0; i < sizeof(layout) / sizeof(layout[0]); i++) {
        if (layout[i].type == type) {
            want = layout[i].len;
        }
    }
    if (want == -2) {
        return SM_UP_BAD_TYPE;
    }
    if (want == -1 ? len < 9 || len > 8 + 1008 : len != (size_t)want) {
        return SM_UP_BAD_LENGTH;
    }
    if (len == 0) {
        return SM_UP_OK;
    }
    if (p[1] | p[2] | p[3]) {
        return SM_UP_BAD_RESERVED;
    }
    if (p[0] > 6) {
        return SM_UP_BAD_COMPONENT;
    }
    if (type == 0x02 && fuzz_le32(p + 4) == 0) {
        return SM_UP_BAD_RANGE;
    }
    if (type == 0x03) {
        const uint64_t off = fuzz_le32(p + 4);
        if (off & 15u) {
            return SM_UP_BAD_ALIGN;
        }
        if (off + (len - 8) > UINT32_MAX) {
            return SM_UP_BAD_RANGE;
        }
    }
    return SM_UP_OK;
}

static bool ref_info_ok(const uint8_t *p, size_t len)
{
    if (len < 8 || p[0] == 0 || p[1] > 7 || len != 8u + 24u * p[1] || p[2] || p[3]) {
        return false;
    }
    unsigned seen = 0;
    for (unsigned i = 0; i < p[1]; i++) {
        const uint8_t *q = p + 8 + 24 * i;
        if (q[0] > 6 || (seen >> q[0]) & 1u || q[1] > 7 || q[2] || q[3]) {
            return false;
        }
        seen |= 1u << q[0];
    }
    return true;
}

static bool ref_status_ok(const uint8_t *p, size_t len)
{
    return len == 12 && p[0] != 0 && p[0] < 0x80 && (p[1] <= 6 || p[1] == 0xFF) &&
           (p[2] <= 7 || p[2] == 0xFF) && p[3] <= 6;
}

static void check(uint8_t type, uint8_t seq, const uint8_t *p, size_t len)
{
    const struct sm_frame f = {.type = type, .seq = seq, .len = (uint16_t)len, .payload = p};
    static uint8_t out[SM_FRAME_PAYLOAD_MAX];

    struct sm_up_request r;
    const int rc = sm_up_parse_request(&f, &r);
    const int want = ref_request(type, p, len);
    if (rc != want) {
        fuzz_fail("request type %u length %zu: parsed %d, the format says %d", type, len, rc, want);
    }
    if (r.type != type || r.seq != seq) {
        fuzz_fail("request: type or sequence not kept");
    }
    if (rc != SM_UP_OK) {
        if (r.component || r.size || r.offset || r.data || r.data_len) {
            fuzz_fail("a refused request left fields in the output");
        }
    } else {
        if (len >= 4 && r.component != p[0]) {
            fuzz_fail("request: component not the payload's");
        }
        if (type == SM_UP_START && r.size != fuzz_le32(p + 4)) {
            fuzz_fail("START: size not the payload's");
        }
        if (type == SM_UP_DATA &&
            (r.offset != fuzz_le32(p + 4) || r.data != p + 8 || r.data + r.data_len != p + len)) {
            fuzz_fail("DATA: offset or data not the payload's");
        }
        if (type != SM_UP_DATA && (r.data || r.data_len || r.offset)) {
            fuzz_fail("a request other than DATA has data");
        }
        const int n = sm_up_encode_request(&r, out);
        if (n != (int)len || memcmp(out, p, len) != 0) {
            fuzz_fail("request type %u: encoded back to %d bytes, not the %zu parsed", type, n,
                      len);
        }
    }

    struct sm_up_info info;
    const int irc = sm_up_parse_info(&f, &info);
    const bool iok = type == SM_UP_INFO && ref_info_ok(p, len);
    if ((irc == SM_UP_OK) != iok) {
        fuzz_fail("INFO of %zu bytes: parsed %d, the format says %s", len, irc, iok ? "ok" : "no");
    }
    if (irc == SM_UP_OK) {
        if (info.version != p[0] || info.count != p[1] || info.boot_count != fuzz_le32(p + 4)) {
            fuzz_fail("INFO: header fields not the payload's");
        }
        for (unsigned i = 0; i < info.count; i++) {
            const uint8_t *q = p + 8 + 24 * i;
            const struct sm_up_component *c = &info.c[i];
            if (c->id != q[0] || c->state != q[1] || (uint32_t)c->error != fuzz_le32(q + 4) ||
                c->major != q[8] || c->minor != q[9] || c->patch != fuzz_le16(q + 10) ||
                c->build != fuzz_le32(q + 12) || c->max_size != fuzz_le32(q + 16) ||
                c->flags != fuzz_le32(q + 20)) {
                fuzz_fail("INFO: component %u not the payload's", i);
            }
        }
        const int n = sm_up_encode_info(&info, out);
        if (n != (int)len || memcmp(out, p, len) != 0) {
            fuzz_fail("INFO: encoded back to other bytes");
        }
    } else if (info.count != 0 || info.version != 0 || info.boot_count != 0) {
        fuzz_fail("a refused INFO left fields in the output");
    }

    struct sm_up_status st;
    const int src = sm_up_parse_status(&f, &st);
    const bool sok = type == SM_UP_STATUS && ref_status_ok(p, len);
    if ((src == SM_UP_OK) != sok) {
        fuzz_fail("STATUS of %zu bytes: parsed %d, the format says %s", len, src,
                  sok ? "ok" : "no");
    }
    if (src == SM_UP_OK) {
        if (st.request != p[0] || st.component != p[1] || st.state != p[2] || st.reason != p[3] ||
            (uint32_t)st.status != fuzz_le32(p + 4) || st.value != fuzz_le32(p + 8)) {
            fuzz_fail("STATUS: fields not the payload's");
        }
        const int n = sm_up_encode_status(&st, out);
        if (n != (int)len || memcmp(out, p, len) != 0) {
            fuzz_fail("STATUS: encoded back to other bytes");
        }
    } else if (st.request || st.component || st.state || st.reason || st.status || st.value) {
        fuzz_fail("a refused STATUS left fields in the output");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_frames(data, size, check);
}
