/*
 * host_flash_init.c: plat_flash_init() on the host.
 *
 * The host flash is opened explicitly (host_flash_open_dir / host_flash_open_ram) because a
 * host program chooses its device; plat_flash_init() then only reports whether one is open.
 */
#include "flash_backend.h"
#include "plat_flash.h"

int plat_flash_init(void)
{
    return flash_backend_ready();
}
