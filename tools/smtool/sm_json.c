/*
 * sm_json.c: see sm_json.h. A recursive-descent reader over one flat object.
 */
#include "sm_json.h"

#include <stdio.h>
#include <string.h>

struct rd {
    const char *p;
    size_t len, at;
    char *why;
};

static int fail(struct rd *r, const char *what)
{
    snprintf(r->why, 96, "%s at byte %zu", what, r->at);
    return -1;
}

static void ws(struct rd *r)
{
    while (r->at < r->len && (r->p[r->at] == ' ' || r->p[r->at] == '\t' || r->p[r->at] == '\n' ||
                              r->p[r->at] == '\r')) {
        r->at++;
    }
}

static int string(struct rd *r, char out[SM_JSON_STR])
{
    size_t n = 0;
    if (r->at >= r->len || r->p[r->at] != '"') {
        return fail(r, "a string expected");
    }
    r->at++;
    for (;;) {
        if (r->at >= r->len) {
            return fail(r, "a string not closed");
        }
        char c = r->p[r->at++];
        if (c == '"') {
            break;
        }
        if ((unsigned char)c < 0x20u) {
            return fail(r, "a control character in a string");
        }
        if (c == '\\') {
            if (r->at >= r->len ||
                (r->p[r->at] != '"' && r->p[r->at] != '\\' && r->p[r->at] != '/')) {
                return fail(r, "an escape other than \\\" \\\\ \\/");
            }
            c = r->p[r->at++];
        }
        if (n + 1 >= SM_JSON_STR) {
            return fail(r, "a string too long");
        }
        out[n++] = c;
    }
    out[n] = '\0';
    return 0;
}

static int number(struct rd *r, uint32_t *out)
{
    uint64_t v = 0;
    const size_t start = r->at;
    while (r->at < r->len && r->p[r->at] >= '0' && r->p[r->at] <= '9') {
        v = v * 10u + (uint64_t)(r->p[r->at] - '0');
        if (v > 0xFFFFFFFFu) {
            return fail(r, "a number too large");
        }
        r->at++;
    }
    if (r->at == start) {
        return fail(r, "a value expected (a string or a number)");
    }
    if (r->p[start] == '0' && r->at - start > 1) {
        return fail(r, "a number with a leading zero");
    }
    *out = (uint32_t)v;
    return 0;
}

int sm_json_parse(const char *text, size_t len, struct sm_json_pair *pairs, size_t max, size_t *n,
                  char why[96])
{
    struct rd r = {text, len, 0, why};
    size_t count = 0;
    int rc = 0;
    *n = 0;
    why[0] = '\0';
    ws(&r);
    if (r.at >= len || text[r.at] != '{') {
        return fail(&r, "an object expected");
    }
    r.at++;
    ws(&r);
    if (r.at < len && text[r.at] == '}') {
        r.at++;
    } else {
        for (;;) {
            if (count == max) {
                rc = fail(&r, "too many keys");
                break;
            }
            struct sm_json_pair *e = &pairs[count];
            memset(e, 0, sizeof(*e));
            ws(&r);
            if ((rc = string(&r, e->key)) != 0) {
                break;
            }
            for (size_t i = 0; i < count; i++) {
                if (strcmp(pairs[i].key, e->key) == 0) {
                    rc = fail(&r, "a key given twice");
                }
            }
            ws(&r);
            if (rc != 0 || r.at >= len || text[r.at] != ':') {
                rc = rc != 0 ? rc : fail(&r, "':' expected");
                break;
            }
            r.at++;
            ws(&r);
            if (r.at < len && text[r.at] == '"') {
                e->is_string = true;
                rc = string(&r, e->str);
            } else {
                rc = number(&r, &e->num);
            }
            if (rc != 0) {
                break;
            }
            count++;
            ws(&r);
            if (r.at < len && text[r.at] == ',') {
                r.at++;
                continue;
            }
            if (r.at < len && text[r.at] == '}') {
                r.at++;
                break;
            }
            rc = fail(&r, "',' or '}' expected");
            break;
        }
    }
    if (rc == 0) {
        ws(&r);
        if (r.at != len) {
            rc = fail(&r, "something after the object");
        }
    }
    if (rc != 0) {
        memset(pairs, 0, max * sizeof(*pairs));
        return -1;
    }
    *n = count;
    return 0;
}
