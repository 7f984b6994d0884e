/*
 * smdk_host.h: a secure module as an in-process partition of the SMAK for Linux (the SMDK's
 * host side, docs/design/modules.md "The same module on a PC").
 *
 * `smmodule.py host MANIFEST OUT.c` writes, for the module's manifest, a payload with the
 * module's descriptor (as `smmodule.py pack` makes it, with placeholder code) and one
 * SMDK_HOST_MODULE record naming the module's entry point. Compiled with the module's own
 * sources into a program linked with the SMAK for Linux (libsmak_host.a), the record is found
 * at start, after the SM's own partitions have started: the SM's module loader takes each
 * payload as it takes a module slot on the board (every check of the descriptor, the
 * collisions with the SM's partitions and with the other modules, the priority order, the
 * dependencies), and the module's thread runs the entry point. A module the loader refuses
 * stops the program before main with the loader's reason (exit status 2). At most 4 modules.
 * What a PC does not give a module: isolation (it runs in the program's memory) and position
 * independence (it is compiled as ordinary code).
 */
#ifndef SMDK_HOST_H
#define SMDK_HOST_H

#include <stdint.h>

struct smdk_host_module {
    const uint8_t *payload; /* descriptor, then placeholder code */
    uint32_t payload_len;
    void (*entry)(void);
};

#define SMDK_HOST_MODULE(m)                                                                        \
    static const struct smdk_host_module *const smdk_host_record_##m                               \
        __attribute__((used, section("smdk_host_modules"))) = &(m)

#endif /* SMDK_HOST_H */
