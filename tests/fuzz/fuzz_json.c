/*
 * fuzz_json.c: smtool's reader of the install configuration (tools/smtool/sm_json.c, the flat
 * JSON object of `smtool package --config`) over hostile bytes.
 *
 * Input: [0] the pair limit (mod 24), then the text.
 * Oracles:
 * - a refusal leaves n 0 and says why (a non-empty reason naming a byte offset);
 * - an acceptance gives at most `max` pairs, distinct keys, keys and strings with no control
 *   character, and only what the text holds: each key appears in the text between quotes;
 * - the accepted pairs written back in the one canonical form (no whitespace, \" and \\
 *   escaped) read back to the same pairs, and that form is accepted with max pairs exactly and
 *   refused with one fewer (when there is at least one).
 */
#include <stdio.h>
#include <string.h>

#include "sm_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PAIRS 24u

static struct sm_json_pair a[MAX_PAIRS], b[MAX_PAIRS];
static char canon[MAX_PAIRS * (2u * SM_JSON_STR * 2u + 16u) + 4u];

static size_t put_string(char *o, const char *s)
{
    size_t n = 0;
    o[n++] = '"';
    for (; *s != '\0'; s++) {
        if (*s == '"' || *s == '\\') {
            o[n++] = '\\';
        }
        o[n++] = *s;
    }
    o[n++] = '"';
    return n;
}

static bool clean(const char *s)
{
    for (; *s != '\0'; s++) {
        if ((unsigned char)*s < 0x20u) {
            return false;
        }
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    const size_t max = data[0] % MAX_PAIRS;
    const char *text = (const char *)data + 1;
    const size_t len = size - 1;
    size_t n = 99;
    char why[96] = {0};
    if (sm_json_parse(text, len, a, max, &n, why) != 0) {
        if (n != 0 || why[0] == '\0' || strstr(why, "at byte") == NULL) {
            __builtin_trap();
        }
        return 0;
    }
    if (n > max) {
        __builtin_trap();
    }
    size_t c = 0;
    canon[c++] = '{';
    for (size_t i = 0; i < n; i++) {
        if (!clean(a[i].key) || (a[i].is_string && !clean(a[i].str))) {
            __builtin_trap();
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(a[i].key, a[j].key) == 0) {
                __builtin_trap();
            }
        }
        if (i != 0) {
            canon[c++] = ',';
        }
        c += put_string(canon + c, a[i].key);
        canon[c++] = ':';
        if (a[i].is_string) {
            c += put_string(canon + c, a[i].str);
        } else {
            c += (size_t)snprintf(canon + c, 16, "%u", (unsigned)a[i].num);
        }
    }
    canon[c++] = '}';
    size_t m = 0;
    if (sm_json_parse(canon, c, b, n, &m, why) != 0 || m != n) {
        __builtin_trap(); /* its own canonical form refused */
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(a[i].key, b[i].key) != 0 || a[i].is_string != b[i].is_string ||
            (a[i].is_string ? strcmp(a[i].str, b[i].str) != 0 : a[i].num != b[i].num)) {
            __builtin_trap();
        }
    }
    if (n > 0 && sm_json_parse(canon, c, b, n - 1, &m, why) == 0) {
        __builtin_trap(); /* more pairs than the limit accepted */
    }
    return 0;
}
