/*
 * module_fixture.h: a well-formed secure module payload (core/sm_module_desc.h) for the tests
 * and the fuzzer's seeds, built field by field, so a test can break one field at a time.
 *
 * The payload (MODULE_FIXTURE_LEN bytes): the descriptor of module "KEY_VAULT" (id 0x4001,
 * NORMAL), two services (0x4001F000 connection-based, NS, version 2 RELAXED; 0x4001F001
 * stateless, handle 7, version 1), two dependencies (0x00000101, 0x00000102), two
 * relocations; code to MODULE_FIXTURE_CODE_END (entry there - 64, Thumb); the data image at
 * MODULE_FIXTURE_DATA: a GOT of 3 words (a flash pointer, a RAM pointer, NULL), then 5 words,
 * of which offsets 16 (a flash pointer) and 24 (a RAM pointer) are the relocations; bss 64
 * bytes, stack 512.
 */
#ifndef MODULE_FIXTURE_H
#define MODULE_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#define MODULE_FIXTURE_LEN       320u
#define MODULE_FIXTURE_CODE_END  256u
#define MODULE_FIXTURE_DATA      256u
#define MODULE_FIXTURE_DATA_SIZE 32u
#define MODULE_FIXTURE_RAM       (32u + 64u + 512u) /* data, bss, stack */
/* Offsets in the payload. */
#define MF_SERVICES              64u
#define MF_DEPS                  (64u + 2u * 12u)
#define MF_RELOCS                (MF_DEPS + 2u * 4u)
#define MF_DESC_END              (MF_RELOCS + 2u * 4u)

void module_fixture(uint8_t payload[MODULE_FIXTURE_LEN]);
void module_fixture_put32(uint8_t *p, uint32_t v);

#endif /* MODULE_FIXTURE_H */
