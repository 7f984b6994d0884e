/*
 * hello: the smallest non-secure application built outside the SM tree, against the SMAK
 * package only (see ns/kit/README.md and this directory's Makefile).
 */
#include "psa/client.h"
#include "smak.h"

int main(void)
{
    uint32_t fw = psa_framework_version();
    smak_printf("hello from an out-of-tree NS application: FF-M %u.%u\n", (unsigned)(fw >> 8),
                (unsigned)(fw & 0xFFu));
    /* A service this SM does not offer: its version is PSA_VERSION_NONE. */
    smak_printf("hello: psa_version(0x1234) = %u\n", (unsigned)psa_version(0x1234u));
    return 0;
}
