/*
 * bad_mmio.c: partition TEST_BAD_MMIO (bad_mmio.json), whose manifest names the SM's own
 * platform clock (TIMER1) as its peripheral. The SM must refuse to start with it, so this
 * code never runs; it only answers, as a partition must.
 */
#include "psa/service.h"
#include "psa_manifest/bad_mmio.h"

void bad_mmio_main(void)
{
    for (;;) {
        (void)psa_wait(TEST_BAD_MMIO_SERVICE_SIGNAL, PSA_BLOCK);
        psa_msg_t msg;
        if (psa_get(TEST_BAD_MMIO_SERVICE_SIGNAL, &msg) == PSA_SUCCESS) {
            psa_reply(msg.handle, PSA_SUCCESS);
        }
    }
}
