/*
 * smdk_host.c: the secure modules of a Linux program linked with the SMAK for Linux, loaded
 * in-process by the SM's own loader (smdk_host.h). Called by the kit's start-up
 * (ns/kit/smak_host.c) once the SM has started and before main.
 *
 * Each record's payload goes to sm_module_load as a module slot: the slot's RAM window is a
 * static buffer of this file (the module's stack is there, as on the board), the payload's
 * address a number no code is at (the loader only computes with it on the host). Then every
 * accepted module's thread gets the record's entry point in place of the placeholder code, before
 * it has run: the host runs a thread only when the program enters the SM. The loader's
 * refusals are printed as on the board; any refusal stops the program (exit status 2), so that
 * a module's tests never run without it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sm_kernel.h"
#include "sm_module_load.h"
#include "smdk_host.h"

#define HOST_WINDOW 0x20000u /* 128 KiB: the 64 KiB stack the host gives a partition, and more */

/* The records, wherever the program's objects put them (GNU ld's section bounds; none: no
 * module). */
extern const struct smdk_host_module *const __start_smdk_host_modules[] __attribute__((weak));
extern const struct smdk_host_module *const __stop_smdk_host_modules[] __attribute__((weak));

static uint8_t windows[SM_MODULE_SLOTS_MAX][HOST_WINDOW] __attribute__((aligned(32)));

static int32_t payload_id(const uint8_t *p)
{
    return (int32_t)((uint32_t)p[12] | (uint32_t)p[13] << 8 | (uint32_t)p[14] << 16 |
                     (uint32_t)p[15] << 24);
}

void smdk_host_load_modules(void)
{
    /* The bounds are two symbols the linker puts around the section: compared as addresses. */
    const struct smdk_host_module *const *first = __start_smdk_host_modules;
    const uintptr_t from = (uintptr_t)__start_smdk_host_modules;
    const uintptr_t to = (uintptr_t)__stop_smdk_host_modules;
    if (from == 0u || to <= from) {
        return;
    }
    const size_t n = (size_t)(to - from) / sizeof(*first);
    if (n > SM_MODULE_SLOTS_MAX) {
        fprintf(stderr, "smak: %zu secure modules in the program, at most %u\n", n,
                (unsigned)SM_MODULE_SLOTS_MAX);
        exit(2);
    }
    struct sm_module_source src[SM_MODULE_SLOTS_MAX];
    for (size_t i = 0; i < n; i++) {
        if (first[i] == NULL || first[i]->payload == NULL || first[i]->entry == NULL) {
            fprintf(stderr, "smak: secure module record %zu is empty\n", i);
            exit(2);
        }
        src[i] = (struct sm_module_source){
            .slot = (uint32_t)i,
            .payload = first[i]->payload,
            .payload_len = first[i]->payload_len,
            .payload_addr = 0x10000000u + (uint32_t)i * 0x100000u,
            .ram = windows[i],
            .ram_window = HOST_WINDOW,
            .ram_addr = 0x20000000u + (uint32_t)i * HOST_WINDOW,
        };
    }
    const uint32_t before = sm_module_count;
    if (sm_module_load(src, (uint32_t)n) != n) {
        fprintf(stderr, "smak: a secure module was refused (above): stopping\n");
        exit(2);
    }
    for (uint32_t k = before; k < sm_module_count; k++) {
        struct sm_partition *p = &sm_module_partitions[k];
        for (size_t i = 0; i < n; i++) {
            if (first[i]->payload_len >= 16u && payload_id(first[i]->payload) == p->id) {
                p->entry = first[i]->entry;
            }
        }
    }
}
