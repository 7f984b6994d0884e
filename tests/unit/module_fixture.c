/*
 * module_fixture.c: see module_fixture.h.
 */
#include "module_fixture.h"

#include <string.h>

#include "sm_module_desc.h"

void module_fixture_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void module_fixture(uint8_t payload[MODULE_FIXTURE_LEN])
{
    uint8_t *p = payload;
    memset(p, 0, MODULE_FIXTURE_LEN);
    module_fixture_put32(p, SM_MODULE_MAGIC);
    put16(p + 4, SM_MODULE_FORMAT);
    put16(p + 6, SM_MODULE_HDR_SIZE);
    module_fixture_put32(p + 8, MF_DESC_END);
    module_fixture_put32(p + 12, 0x4001u);
    memcpy(p + 16, "KEY_VAULT", 9);
    p[32] = 1; /* NORMAL */
    p[33] = 2;
    p[34] = 2;
    module_fixture_put32(p + 36, MODULE_FIXTURE_CODE_END - 64u + 1u);
    module_fixture_put32(p + 40, MODULE_FIXTURE_CODE_END);
    module_fixture_put32(p + 44, MODULE_FIXTURE_DATA);
    module_fixture_put32(p + 48, MODULE_FIXTURE_DATA_SIZE);
    module_fixture_put32(p + 52, 64);
    module_fixture_put32(p + 56, 512);
    put16(p + 60, 3);
    put16(p + 62, 2);
    uint8_t *s = p + MF_SERVICES;
    module_fixture_put32(s, 0x4001F000u);
    module_fixture_put32(s + 4, 2);
    s[8] = 1;
    s[9] = SM_MODULE_SVC_CONNECTION | SM_MODULE_SVC_NS;
    s[10] = SM_MODULE_NO_HANDLE;
    s += SM_MODULE_SERVICE_SIZE;
    module_fixture_put32(s, 0x4001F001u);
    module_fixture_put32(s + 4, 1);
    s[10] = 7;
    module_fixture_put32(p + MF_DEPS, 0x101u);
    module_fixture_put32(p + MF_DEPS + 4, 0x102u);
    module_fixture_put32(p + MF_RELOCS, 16);
    module_fixture_put32(p + MF_RELOCS + 4, 24);
    /* "Code": a pattern, so that it is not all zeros. */
    for (size_t i = MF_DESC_END; i < MODULE_FIXTURE_CODE_END; i++) {
        p[i] = (uint8_t)(i * 13u);
    }
    uint8_t *d = p + MODULE_FIXTURE_DATA;
    module_fixture_put32(d, 200);                         /* GOT: code at payload 200 */
    module_fixture_put32(d + 4, SM_MODULE_RAM_LINK + 40); /* GOT: RAM (in .bss) */
    module_fixture_put32(d + 8, 0);                       /* GOT: NULL (a weak symbol) */
    module_fixture_put32(d + 12, 0x12345678u);            /* plain data */
    module_fixture_put32(d + 16, 100);                    /* relocated: flash */
    module_fixture_put32(d + 20, 0xFFFFFFFFu);            /* plain data */
    module_fixture_put32(d + 24, SM_MODULE_RAM_LINK + 4); /* relocated: RAM (.data) */
    module_fixture_put32(d + 28, 7);                      /* plain data */
    /* Past the data image: the rest of the payload (e.g. padding). */
    for (size_t i = MODULE_FIXTURE_DATA + MODULE_FIXTURE_DATA_SIZE; i < MODULE_FIXTURE_LEN; i++) {
        p[i] = 0xA5;
    }
}
