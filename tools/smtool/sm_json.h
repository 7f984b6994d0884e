/*
 * sm_json.h: the flat JSON object of `smtool package --config` (install-package.md): one
 * object whose values are strings or non-negative integers, nothing nested.
 *
 * Contract: sm_json_parse(text, len, pairs, max, &n, &why) is a function of its input: it
 * accepts exactly `{ "key": value, ... }` with optional whitespace, string keys and values
 * (escapes \" \\ \/ only; no control characters), integers (decimal digits, no leading zero,
 * below 2^32), no duplicate key, at most `max` pairs and nothing after the object. Keys and
 * strings are copied NUL-terminated into the pairs (at most SM_JSON_STR - 1 bytes each). On a
 * refusal it returns -1, n is 0 and `why` names the problem with its byte offset.
 */
#ifndef SM_JSON_H
#define SM_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SM_JSON_STR 256u

struct sm_json_pair {
    char key[SM_JSON_STR];
    bool is_string;
    char str[SM_JSON_STR];
    uint32_t num;
};

int sm_json_parse(const char *text, size_t len, struct sm_json_pair *pairs, size_t max, size_t *n,
                  char why[96]);

#endif /* SM_JSON_H */
