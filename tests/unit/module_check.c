/*
 * module_check.c: a module payload (tools/smgen/smmodule.py's output) through the SM core's
 * descriptor parser and relocator (core/sm_module_desc.h), as the loader will take it:
 *
 *   module_check PAYLOAD RAM_WINDOW FLASH_BASE RAM_BASE
 *
 * Prints the descriptor's fields and every relocated pointer word ("got N: ADDR", "reloc OFF:
 * ADDR"), exit status 0; or the parser's or relocator's reason, exit status 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sm_module_desc.h"

static uint32_t word(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: module_check PAYLOAD RAM_WINDOW FLASH_BASE RAM_BASE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    static uint8_t payload[256 * 1024];
    size_t n = f != NULL ? fread(payload, 1, sizeof(payload), f) : 0;
    if (f == NULL || ferror(f) || !feof(f)) {
        fprintf(stderr, "module_check: %s: cannot read (or larger than 256 KiB)\n", argv[1]);
        return 2;
    }
    fclose(f);
    const uint32_t window = (uint32_t)strtoul(argv[2], NULL, 0);
    const uint32_t flash = (uint32_t)strtoul(argv[3], NULL, 0);
    const uint32_t ram = (uint32_t)strtoul(argv[4], NULL, 0);
    struct sm_module_info m;
    enum sm_module_status rc = sm_module_parse(payload, n, window, &m);
    if (rc != SM_MODULE_OK) {
        printf("module_check: refused: %s\n", sm_module_strerror(rc));
        return 1;
    }
    printf("name %s id %d priority %u services %u dependencies %u\n", m.name, (int)m.id, m.priority,
           m.n_services, m.n_deps);
    for (unsigned i = 0; i < m.n_services; i++) {
        printf("service 0x%08x version %u flags %u handle %u\n", (unsigned)m.services[i].sid,
               (unsigned)m.services[i].version, m.services[i].flags,
               m.services[i].stateless_handle);
    }
    for (unsigned i = 0; i < m.n_deps; i++) {
        printf("dependency 0x%08x\n", (unsigned)m.deps[i]);
    }
    printf("entry 0x%x code_end 0x%x data %u bss %u stack %u ram %u got %u relocations %u\n",
           (unsigned)m.entry, (unsigned)m.code_end, (unsigned)m.data_size, (unsigned)m.bss_size,
           (unsigned)m.stack_size, (unsigned)m.ram_size, m.got_words, m.n_relocs);
    uint8_t *data = malloc(m.data_size ? m.data_size : 1);
    if (data == NULL) {
        return 2;
    }
    memcpy(data, payload + m.data_image, m.data_size);
    rc = sm_module_relocate(&m, payload, data, flash, ram);
    if (rc != SM_MODULE_OK) {
        printf("module_check: refused: %s\n", sm_module_strerror(rc));
        free(data);
        return 1;
    }
    for (unsigned i = 0; i < m.got_words; i++) {
        printf("got %u: 0x%08x\n", i, (unsigned)word(data + 4 * i));
    }
    for (unsigned i = 0; i < m.n_relocs; i++) {
        const uint32_t at = word(payload + m.reloc_off + 4 * i);
        printf("reloc %u: 0x%08x\n", (unsigned)at, (unsigned)word(data + at));
    }
    free(data);
    return 0;
}
