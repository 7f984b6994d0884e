/*
 * prov_main.c: the provisioning stage on the board (docs/design/lifecycle.md, "The
 * provisioning stage"). The iRoT enters it, in ASSEMBLY_AND_TEST and PSA_ROT_PROVISIONING
 * only, before it verifies anything; it never boots anything. Its loop: every byte of the
 * serial line (prov_line.h) into the frame decoder, every whole frame to prov_handle (which
 * re-reads the state for each request, the stage's own check), its answer framed with the
 * request's sequence number and sent back. A frame the decoder drops (bad CRC, too long) or
 * prov_handle leaves unanswered gets nothing: the programmer retries.
 */
#include "bl_rom.h"
#include "bl_status.h"
#include "plat_console.h"
#include "plat_flash.h"
#include "plat_system.h"
#include "prov_core.h"
#include "prov_line.h"
#include "sm_frame.h"

/* Static: the decoder's buffer and the two payloads are 3 KiB, over half the stack. */
static struct sm_frame_rx rx;
static uint8_t payload[SM_FRAME_PAYLOAD_MAX];
static uint8_t frame[SM_FRAME_MAX];

int main(void)
{
    /* The console (UART0) is the iRoT's, set up already. */
    plat_puts("prov: provisioning stage, programmer on UART1\n");
    /* Its crypto is the iRoT's (bl_rom.h): SHA-256's calls do not check the table, this does. */
    if (bl_rom_check() != BL_OK) {
        plat_puts("prov: stopped: the iRoT's crypto table is missing or of another version\n");
        plat_power_off(2);
    }
    if (plat_flash_init() != PLAT_FLASH_OK) {
        plat_puts("prov: stopped: E1\n"); /* BL_E_IO, as the stages print it */
        plat_power_off(2);
    }
    prov_line_open();
    sm_frame_rx_init(&rx);
    for (;;) {
        if (sm_frame_feed(&rx, prov_line_getc()) != SM_FRAME_OK) {
            continue;
        }
        uint8_t type;
        const int n = prov_handle(&rx.frame, &type, payload);
        if (n < 0) {
            continue;
        }
        const size_t len =
            sm_frame_encode(type, rx.frame.seq, payload, (size_t)n, frame, sizeof(frame));
        prov_line_write(frame, len);
    }
}
