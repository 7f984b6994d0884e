/*
 * sm_module_load.h: the secure module loader (docs/design/modules.md, "Loading"). At start,
 * after sm_kernel_init and before the kernel runs, it turns the verified module slots into
 * partitions: their threads from the slots sm_threads reserves, their services appended to
 * sm_services.
 *
 * Contract:
 * - The caller (sm_main on the board, a test on the host) describes each module slot it may
 *   load: the verified payload (its bytes as the SM reads them, and the address the module's
 *   code runs at), and the slot's RAM window (where the SM writes it, and its address as the
 *   module sees it). Slots are given in slot order, at most SM_MODULE_SLOTS_MAX, only those
 *   the install configuration counts and the boot stages verified.
 * - Each payload is hostile input: sm_module_parse checks the descriptor against the payload
 *   and the window; the loader then refuses a module whose partition id or name is another
 *   partition's (built-in or a module accepted before it, in slot order), one of whose SIDs
 *   or stateless handles is already taken, whose services do not fit SM_SERVICE_MAX, whose
 *   code does not end inside the payload once rounded to the MPU's 32 bytes, or whose
 *   relocation fails. A refusal is printed (sm_arch_log) naming the slot and the reason, and
 *   changes nothing the others see: the slot's thread stays stopped, its services unknown.
 * - An accepted module's window is zeroed, its data image copied and relocated there; it
 *   runs unprivileged from its entry with r9 at the window's base and its stack at the top
 *   of what it asked for; it may connect to the SIDs its descriptor lists (if some partition
 *   offers them) and nothing else; the NS world reaches the services flagged for it.
 * - Accepted modules take the module threads by priority (HIGH first, then slot order), so
 *   they rank after every built-in partition and among themselves by their descriptors.
 */
#ifndef SM_MODULE_LOAD_H
#define SM_MODULE_LOAD_H

#include <stddef.h>
#include <stdint.h>

struct sm_module_source {
    uint32_t slot;          /* 0 .. SM_MODULE_SLOTS_MAX - 1, for the messages */
    const uint8_t *payload; /* the verified payload, payload_len bytes */
    uint32_t payload_len;
    uint32_t payload_addr; /* where the payload is executed from */
    uint8_t *ram;          /* the slot's RAM window, ram_window bytes, 32-byte aligned */
    uint32_t ram_window;
    uint32_t ram_addr; /* the window's address as the module sees it */
};

/* Loads what it can of slots[0 .. n-1]; returns how many modules it accepted. */
uint32_t sm_module_load(const struct sm_module_source *slots, uint32_t n);

/* The architecture's part (sm_arch_armv8m.c; nothing on the host): module k's code
 * [code_start, code_end) and RAM block [ram_start, ram_end), before its thread is started. */
void sm_arch_module_memory(uint32_t k, uint32_t code_start, uint32_t code_end, uint32_t ram_start,
                           uint32_t ram_end);

#endif /* SM_MODULE_LOAD_H */
