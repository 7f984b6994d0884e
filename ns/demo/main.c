/*
 * main.c: the demo non-secure application.
 */
#include "psa/client.h"
#include "smak.h"

#ifndef DEMO_VERSION
#define DEMO_VERSION "1.0.0"
#endif

int main(void)
{
    smak_printf("NS: demo application %s started in the non-secure world\n", DEMO_VERSION);
    uint32_t fw = psa_framework_version(); /* a call into the secure world */
    smak_printf("NS: the SM implements PSA FF-M %u.%u (psa_framework_version() = 0x%04x)\n",
                (unsigned)(fw >> 8), (unsigned)(fw & 0xFFu), (unsigned)fw);
    uint32_t boots = smak_boot_count();
    if (boots == 1) {
        /* Show a power cycle: RAM is lost, the boot counter in flash is not. */
        smak_printf("NS: first boot since provisioning: requesting a reset (power cycle)\n");
        smak_reset();
    }
    smak_printf("NS: boot %u: the boot counter written before the reset was read back from "
                "flash\n",
                (unsigned)boots);
    return 0;
}
