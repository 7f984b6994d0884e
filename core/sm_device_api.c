/*
 * sm_device_api.c: the flash calls of sm/sm_device.h as partitions make them, on every
 * architecture: each is the one flash entry, sm_device_flash(), with its operation number (a
 * supervisor call on the board, a kernel entry on the host), and so are the attestation calls
 * with sm_device_attest(), and the firmware update calls with sm_device_fwu(). No data: on the
 * board this is shared code every partition may execute.
 */
#include <stdint.h>

#include "sm/sm_device.h"

int sm_flash_read(uint32_t offset, void *dst, size_t len)
{
    return sm_device_flash(SM_DEVICE_FLASH_READ, offset, dst, len);
}

int sm_flash_program(uint32_t offset, const void *src, size_t len)
{
    return sm_device_flash(SM_DEVICE_FLASH_PROGRAM, offset, (void *)(uintptr_t)src, len);
}

int sm_flash_erase(uint32_t offset, size_t len)
{
    return sm_device_flash(SM_DEVICE_FLASH_ERASE, offset, NULL, len);
}

int sm_flash_blank(uint32_t offset, size_t len)
{
    return sm_device_flash(SM_DEVICE_FLASH_BLANK, offset, NULL, len);
}

uint32_t sm_flash_area_size(void)
{
    return (uint32_t)sm_device_flash(SM_DEVICE_FLASH_SIZE, 0, NULL, 0);
}

psa_status_t sm_attest_identity(struct sm_attest_identity *out)
{
    return sm_device_attest(SM_ATTEST_OP_IDENTITY, 0, out, sizeof(*out));
}

psa_status_t sm_boot_component(uint32_t index, struct sm_boot_component *out)
{
    return sm_device_attest(SM_ATTEST_OP_COMPONENT, index, out, sizeof(*out));
}

psa_status_t sm_module_owner(uint32_t slot, struct sm_module_owner *out)
{
    return sm_device_attest(SM_ATTEST_OP_MODULE, slot, out, sizeof(*out));
}

psa_status_t sm_iak_sign(const void *tbs, size_t tbs_len, uint8_t sig[64])
{
    return sm_device_attest(SM_ATTEST_OP_SIGN, (uintptr_t)sig, (void *)(uintptr_t)tbs, tbs_len);
}

psa_status_t sm_lifecycle_move(const void *req, size_t len)
{
    return sm_device_attest(SM_ATTEST_OP_LIFECYCLE, 0, (void *)(uintptr_t)req, len);
}

int sm_fwu_flash_read(uint32_t component, uint32_t offset, void *dst, size_t len)
{
    return sm_device_flash(SM_DEVICE_FLASH_READ | SM_DEVICE_FLASH_COMPONENT(component), offset, dst,
                           len);
}

int sm_fwu_flash_program(uint32_t component, uint32_t offset, const void *src, size_t len)
{
    return sm_device_flash(SM_DEVICE_FLASH_PROGRAM | SM_DEVICE_FLASH_COMPONENT(component), offset,
                           (void *)(uintptr_t)src, len);
}

int sm_fwu_flash_erase(uint32_t component, uint32_t offset, size_t len)
{
    return sm_device_flash(SM_DEVICE_FLASH_ERASE | SM_DEVICE_FLASH_COMPONENT(component), offset,
                           NULL, len);
}

int sm_fwu_flash_blank(uint32_t component, uint32_t offset, size_t len)
{
    return sm_device_flash(SM_DEVICE_FLASH_BLANK | SM_DEVICE_FLASH_COMPONENT(component), offset,
                           NULL, len);
}

psa_status_t sm_fwu_slot(uint32_t component, struct sm_fwu_slot *out)
{
    return sm_device_fwu(SM_FWU_OP_SLOT, component, out, sizeof(*out));
}

psa_status_t sm_fwu_verify(uint32_t component, struct sm_fwu_image *out)
{
    return sm_device_fwu(SM_FWU_OP_VERIFY, component, out, sizeof(*out));
}

psa_status_t sm_fwu_mark(uint32_t component, uint32_t mark, psa_status_t error)
{
    if (component > 0xFFu || mark > 0xFFu) {
        return component > 0xFFu ? PSA_ERROR_DOES_NOT_EXIST : PSA_ERROR_INVALID_ARGUMENT;
    }
    return sm_device_fwu(SM_FWU_OP_MARK, component | mark << 8, &error, sizeof(error));
}

psa_status_t sm_fwu_request(uint32_t component)
{
    return sm_device_fwu(SM_FWU_OP_REQUEST, component, NULL, 0);
}

psa_status_t sm_fwu_confirm(uint32_t component)
{
    return sm_device_fwu(SM_FWU_OP_CONFIRM, component, NULL, 0);
}

psa_status_t sm_fwu_reboot(void)
{
    return sm_device_fwu(SM_FWU_OP_REBOOT, 0, NULL, 0);
}
