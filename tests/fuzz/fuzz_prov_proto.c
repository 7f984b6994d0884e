/*
 * fuzz_prov_proto.c: libFuzzer harness for the provisioning protocol's message parsers
 * (protocol/sm_prov_proto.h), the provisioning stage's (requests, BEGIN and CHUNK of an install
 * package among them) and the programmer's (INFO, STATUS, RESULT).
 *
 * Input: [0] mode: bit 0 set, [1] is a frame type, [2] a sequence number and the rest one
 * frame's payload, copied to a buffer of exactly its length (so a read past it is an ASan
 * finding); bit 0 clear, the rest is a byte stream fed to the frame decoder, and every frame it
 * reports goes to the parsers, as on the device.
 * Oracles, for every frame:
 * - each parser returns exactly what an independent reading of the format in serial-frames.md
 *   says (type, then the exact length, then reserved bytes and flags, then ranges, in that
 *   order), the states read as "a multiple of 0x1000 from 0x1000 to 0x6000";
 * - accepted, each field is the bytes at its place (INFO's certificate points into the payload
 *   at 12), and the encoder gives back the same payload; refused, the output holds only the
 *   type and sequence (requests) or nothing but the sequence (replies);
 * - the parsers never read outside the payload nor write outside their output (ASan).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "fuzz_frames.h"
#include "sm_prov_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool ref_state(uint32_t s)
{
    return s == 0x1000 || s == 0x2000 || s == 0x3000 || s == 0x4000 || s == 0x5000 || s == 0x6000;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != 0) {
            return false;
        }
    }
    return true;
}

static int ref_request(uint8_t type, const uint8_t *p, size_t len)
{
    if (type == 0x21) {
        return len == 0 ? SM_PROV_OK : SM_PROV_BAD_LENGTH;
    }
    if (type == 0x23) { /* BEGIN: id 16, chunks 4, length 4, tag 32, wrap 129, 0 3 */
        if (len != 188) {
            return SM_PROV_BAD_LENGTH;
        }
        if (p[185] || p[186] || p[187]) {
            return SM_PROV_BAD_RESERVED;
        }
        const uint32_t chunks = fuzz_le32(p + 16), length = fuzz_le32(p + 20);
        const bool counts = length >= 800 && length <= 0x200000 &&
                            (uint64_t)chunks * 960 >= length &&
                            (uint64_t)chunks * 960 < length + 960u;
        return counts && p[56] == 4 ? SM_PROV_OK : SM_PROV_BAD_RANGE;
    }
    if (type == 0x24) { /* CHUNK: its fields are the package parser's */
        return len >= 41 && len <= 1000 ? SM_PROV_OK : SM_PROV_BAD_LENGTH;
    }
    if (type != 0x22) {
        return SM_PROV_BAD_TYPE;
    }
    if (len != 76) {
        return SM_PROV_BAD_LENGTH;
    }
    if (p[8] > 1 || p[9] || p[10] || p[11]) {
        return SM_PROV_BAD_RESERVED;
    }
    if (!ref_state(fuzz_le32(p)) || (p[8] == 0 && !all_zero(p + 12, 64))) {
        return SM_PROV_BAD_RANGE;
    }
    return SM_PROV_OK;
}

static int ref_info(uint8_t type, const uint8_t *p, size_t len)
{
    if (type != 0xA1) {
        return SM_PROV_BAD_TYPE;
    }
    if (len != 196) {
        return SM_PROV_BAD_LENGTH;
    }
    if (p[1] != 0 || p[2] > 3 || p[3] != 0) {
        return SM_PROV_BAD_RESERVED;
    }
    return p[0] == 1 && ref_state(fuzz_le32(p + 4)) ? SM_PROV_OK : SM_PROV_BAD_RANGE;
}

static int ref_status(uint8_t type, const uint8_t *p, size_t len)
{
    if (type != 0xA2) {
        return SM_PROV_BAD_TYPE;
    }
    if (len != 12) {
        return SM_PROV_BAD_LENGTH;
    }
    if (p[2] || p[3]) {
        return SM_PROV_BAD_RESERVED;
    }
    const uint32_t lc = fuzz_le32(p + 8);
    return (p[0] == 0 || (p[0] >= 0x21 && p[0] <= 0x24)) && p[1] <= 14 && (lc == 0 || ref_state(lc))
               ? SM_PROV_OK
               : SM_PROV_BAD_RANGE;
}

static int ref_result(uint8_t type, const uint8_t *p, size_t len)
{
    if (type != 0xA3) {
        return SM_PROV_BAD_TYPE;
    }
    if (len != 76) {
        return SM_PROV_BAD_LENGTH;
    }
    const int st = ref_status(0xA2, p, 12);
    if (st != SM_PROV_OK) {
        return st;
    }
    return p[0] == 0x24 && p[1] == 0 && fuzz_le32(p + 4) == 0 && !all_zero(p + 12, 64)
               ? SM_PROV_OK
               : SM_PROV_BAD_RANGE;
}

static void check(uint8_t type, uint8_t seq, const uint8_t *p, size_t len)
{
    static uint8_t out[SM_FRAME_PAYLOAD_MAX];
    const struct sm_frame f = {.type = type, .seq = seq, .len = (uint16_t)len, .payload = p};

    struct sm_prov_request r;
    const int rc = sm_prov_parse_request(&f, &r);
    const int want = ref_request(type, p, len);
    if (rc != want) {
        fuzz_fail("request type %u of %zu bytes: parsed %d, the format says %d", type, len, rc,
                  want);
    }
    if (r.type != type || r.seq != seq) {
        fuzz_fail("request: type or sequence not the frame's");
    }
    if (rc == SM_PROV_OK) {
        if (type == 0x22 && (r.to != fuzz_le32(p) || r.transitions != fuzz_le32(p + 4) ||
                             r.is_signed != p[8] || memcmp(r.sig, p + 12, 64) != 0)) {
            fuzz_fail("LIFECYCLE: fields not the payload's");
        }
        if (type == 0x23 &&
            (memcmp(r.id, p, 16) != 0 || r.chunks != fuzz_le32(p + 16) ||
             r.length != fuzz_le32(p + 20) || memcmp(r.begin_tag, p + 24, 32) != 0 ||
             memcmp(r.wrap, p + 56, 129) != 0)) {
            fuzz_fail("BEGIN: fields not the payload's");
        }
        if (type == 0x24 && (r.chunk != p || r.chunk_len != len)) {
            fuzz_fail("CHUNK: not the payload");
        }
        const int n = sm_prov_encode_request(&r, out);
        if (n != (int)len || memcmp(out, p, len) != 0) {
            fuzz_fail("request type %u: encoded back to other bytes", type);
        }
    } else {
        static const uint8_t zeros[64];
        if (r.to || r.transitions || r.is_signed || memcmp(r.sig, zeros, 64) != 0 ||
            memcmp(r.id, zeros, 16) != 0 || r.chunks || r.length || r.chunk || r.chunk_len ||
            memcmp(r.wrap, zeros, 64) != 0) {
            fuzz_fail("a refused request left fields in the output");
        }
    }

    struct sm_prov_info info;
    const int irc = sm_prov_parse_info(&f, &info);
    if (irc != ref_info(type, p, len)) {
        fuzz_fail("INFO of %zu bytes: parsed %d, the format says %d", len, irc,
                  ref_info(type, p, len));
    }
    if (irc == SM_PROV_OK) {
        if (info.version != p[0] || info.flags != fuzz_le16(p + 2) ||
            info.lifecycle != fuzz_le32(p + 4) || info.transitions != fuzz_le32(p + 8) ||
            info.cert != p + 12) {
            fuzz_fail("INFO: fields not the payload's");
        }
        const int n = sm_prov_encode_info(&info, out);
        if (n != (int)len || memcmp(out, p, len) != 0) {
            fuzz_fail("INFO: encoded back to other bytes");
        }
    } else if (info.version || info.flags || info.lifecycle || info.transitions || info.cert) {
        fuzz_fail("a refused INFO left fields in the output");
    }

    struct sm_prov_status st;
    const int src = sm_prov_parse_status(&f, &st);
    if (src != ref_status(type, p, len)) {
        fuzz_fail("STATUS of %zu bytes: parsed %d, the format says %d", len, src,
                  ref_status(type, p, len));
    }
    if (src == SM_PROV_OK) {
        if (st.request != p[0] || st.reason != p[1] || (uint32_t)st.status != fuzz_le32(p + 4) ||
            st.lifecycle != fuzz_le32(p + 8)) {
            fuzz_fail("STATUS: fields not the payload's");
        }
        const int n = sm_prov_encode_status(&st, out);
        if (n != (int)len || memcmp(out, p, len) != 0) {
            fuzz_fail("STATUS: encoded back to other bytes");
        }
    } else if (st.request || st.reason || st.status || st.lifecycle) {
        fuzz_fail("a refused STATUS left fields in the output");
    }

    struct sm_prov_result res;
    const int rrc = sm_prov_parse_result(&f, &res);
    if (rrc != ref_result(type, p, len)) {
        fuzz_fail("RESULT of %zu bytes: parsed %d, the format says %d", len, rrc,
                  ref_result(type, p, len));
    }
    if (rrc == SM_PROV_OK) {
        const int n = sm_prov_encode_result(&res, out);
        if (n != (int)len || memcmp(out, p, len) != 0 || memcmp(res.iak_pub, p + 12, 64) != 0) {
            fuzz_fail("RESULT: fields not the payload's, or encoded back to other bytes");
        }
    } else if (res.st.request || res.st.lifecycle || !all_zero(res.iak_pub, 64)) {
        fuzz_fail("a refused RESULT left fields in the output");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_frames(data, size, check);
}
