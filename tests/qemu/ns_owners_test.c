/*
 * ns_owners_test.c: whose assets a secure module gets (tests/qemu/owners_test.sh;
 * docs/design/modules.md, "Whose assets"). At each boot the NS application asks the probe
 * module (tests/modules/probe_module.c) for its ITS asset 1 and the public half of its
 * persistent key 1, prints what it got, and where they are missing has the probe store and
 * make new ones, named after the boot:
 *
 *   owners_test: probe absent                      (no probe loaded)
 *   owners_test: asset STATUS [TEXT]               (PROBE_ITS_GET of UID 1)
 *   owners_test: key STATUS [HEX]                  (PROBE_KEY_EXPORT of key 1)
 *   owners_test: stored "probe asset of boot N"    (PROBE_ITS_SET, when the asset was missing)
 *   owners_test: made key HEX                      (PROBE_KEY_MAKE, when the key was missing)
 *   owners_test: ns asset STATUS                   (NS's own asset written and read back)
 *
 * The script moves the probe between owners and slots between boots and reads these lines;
 * this program only reports and fills in, so it runs the same at every boot, then powers off.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "psa/client.h"
#include "psa/crypto.h"
#include "psa/internal_trusted_storage.h"
#include "smak.h"

#define PROBE_SID        0x4002F000u
#define PROBE_HANDLE     ((psa_handle_t)0x40000115)
#define PROBE_ITS_GET    7
#define PROBE_ITS_SET    8
#define PROBE_KEY_EXPORT 9
#define PROBE_KEY_MAKE   10

static psa_status_t probe(int32_t type, const void *data, size_t n, uint8_t *out, size_t *len)
{
    uint32_t id = 1;
    psa_invec in[2] = {{&id, sizeof(id)}, {data, n}};
    psa_outvec o = {out, out != NULL ? 65u : 0u};
    psa_status_t st = psa_call(PROBE_HANDLE, type, in, data != NULL ? 2 : 1, &o, 1);
    if (len != NULL) {
        *len = o.len;
    }
    return st;
}

static void print_key(const char *what, psa_status_t st, const uint8_t *k, size_t len)
{
    smak_printf("owners_test: %s %d ", what, (int)st);
    for (size_t i = 0; st == PSA_SUCCESS && i < len; i++) {
        smak_printf("%02x", k[i]);
    }
    smak_printf("\n");
}

int main(void)
{
    const unsigned boot = smak_boot_count();
    /* NS's own ITS, which the modules' binding never affects. */
    static const char ns_text[] = "ns asset";
    char ns_back[sizeof(ns_text)];
    size_t ns_len = 0;
    psa_status_t ns = psa_its_set(0x4e53u, sizeof(ns_text), ns_text, PSA_STORAGE_FLAG_NONE);
    if (ns == PSA_SUCCESS) {
        ns = psa_its_get(0x4e53u, 0, sizeof(ns_back), ns_back, &ns_len);
    }
    if (ns == PSA_SUCCESS && (ns_len != sizeof(ns_text) || memcmp(ns_back, ns_text, ns_len) != 0)) {
        ns = PSA_ERROR_DATA_CORRUPT;
    }
    smak_printf("owners_test: ns asset %d\n", (int)ns);
    if (psa_version(PROBE_SID) == PSA_VERSION_NONE) {
        smak_printf("owners_test: probe absent\n");
        return 0;
    }
    uint8_t out[65];
    size_t len = 0;
    psa_status_t st = probe(PROBE_ITS_GET, NULL, 0, out, &len);
    char text[66] = {0};
    if (st == PSA_SUCCESS && len < sizeof(text)) {
        memcpy(text, out, len);
    }
    smak_printf("owners_test: asset %d %s\n", (int)st, text);
    if (st == PSA_ERROR_DOES_NOT_EXIST) {
        /* "probe asset of boot N" */
        static const char stem[] = "probe asset of boot ";
        char digits[10];
        size_t n = sizeof(stem) - 1, d = 0;
        memcpy(text, stem, n);
        for (unsigned v = boot; d == 0 || v != 0; v /= 10) {
            digits[d++] = (char)('0' + v % 10);
        }
        while (d > 0) {
            text[n++] = digits[--d];
        }
        text[n] = 0;
        st = probe(PROBE_ITS_SET, text, n, NULL, NULL);
        smak_printf("owners_test: stored \"%s\" %d\n", text, (int)st);
    }
    st = probe(PROBE_KEY_EXPORT, NULL, 0, out, &len);
    print_key("key", st, out, len);
    if (st == PSA_ERROR_INVALID_HANDLE || st == PSA_ERROR_DOES_NOT_EXIST) {
        st = probe(PROBE_KEY_MAKE, NULL, 0, NULL, NULL);
        if (st == PSA_SUCCESS) {
            st = probe(PROBE_KEY_EXPORT, NULL, 0, out, &len);
        }
        print_key("made key", st, out, len);
    }
    return 0;
}
