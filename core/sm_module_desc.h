/*
 * sm_module_desc.h: the descriptor at the start of a secure module's payload, and its parser
 * (docs/design/modules.md, "The module descriptor"). Shared by the SM core, which loads
 * modules, and the tools that make them.
 *
 * Layout (little endian), at payload offset 0:
 *   header, SM_MODULE_HDR_SIZE bytes:
 *     0  u32 magic "SMMD"          4  u16 format version (1)   6  u16 header size (64)
 *     8  u32 descriptor size (header, services, dependencies and relocations: exactly)
 *    12  i32 partition id          16  name[16]: 1 to 15 of [A-Z0-9_], from A-Z, NUL padded
 *    32  u8 priority (0 HIGH, 1 NORMAL, 2 LOW)  33 u8 services  34 u8 dependencies  35 u8 0
 *    36  u32 entry point: payload offset of the code, bit 0 set (Thumb)
 *    40  u32 code end: the module's code and read-only data are payload [0, code end)
 *    44  u32 data image: payload offset of .data's initial contents (the GOT first)
 *    48  u32 data size     52 u32 bss size     56 u32 stack size
 *    60  u16 GOT words (at the start of .data)  62 u16 relocations
 *   then per service, SM_MODULE_SERVICE_SIZE bytes: u32 SID, u32 version, u8 version policy
 *     (0 STRICT, 1 RELAXED), u8 flags (SM_MODULE_SVC_*), u8 stateless handle (0..31 for a
 *     stateless service, SM_MODULE_NO_HANDLE for a connection-based one), u8 0;
 *   then per dependency a u32 SID; then per relocation a u32: the byte offset in .data of a
 *   pointer word to relocate, past the GOT, increasing.
 *
 * The module is linked with its payload at address 0 and its RAM at SM_MODULE_RAM_LINK:
 * data, bss right after it, then (from the next multiple of 8) the stack. Every GOT word and every
 * relocated word holds either 0 (a NULL pointer, kept), an address in [0, code end) (the
 * module's flash) or one in [SM_MODULE_RAM_LINK, + RAM size) (its RAM); sm_module_relocate
 * moves them to where the module runs, and refuses any other value.
 *
 * Contract: both functions are functions of their arguments only (no globals), read only
 * inside the buffers they are given, check every length, count, offset and size against
 * those buffers with arithmetic that cannot wrap, and on failure return a status naming the
 * first defect (sm_module_strerror) and leave *out untouched (parse) or the data image in an
 * unspecified state the caller must discard (relocate). Everything they accept is still
 * untrusted for what they cannot know: collisions with other partitions are the loader's.
 * sm_module_relocate refuses (SM_MODULE_E_LAYOUT) bases where the module would wrap the address
 * space.
 */
#ifndef SM_MODULE_DESC_H
#define SM_MODULE_DESC_H

#include <stddef.h>
#include <stdint.h>

#define SM_MODULE_MAGIC          0x444D4D53u /* "SMMD" */
#define SM_MODULE_FORMAT         1u
#define SM_MODULE_HDR_SIZE       64u
#define SM_MODULE_SERVICE_SIZE   12u
#define SM_MODULE_NAME_MAX       15u
#define SM_MODULE_SERVICES_MAX   8u
#define SM_MODULE_DEPS_MAX       16u
#define SM_MODULE_RELOCS_MAX     1024u
#define SM_MODULE_STACK_MIN      256u
#define SM_MODULE_RAM_LINK       0x80000000u /* RAM's link address: no real address is there */
#define SM_MODULE_NO_HANDLE      0xFFu
#define SM_MODULE_SVC_CONNECTION 0x01u /* connection-based (else stateless) */
#define SM_MODULE_SVC_NS         0x02u /* non-secure clients may use it */

enum sm_module_status {
    SM_MODULE_OK = 0,
    SM_MODULE_E_SHORT,      /* payload shorter than the header */
    SM_MODULE_E_MAGIC,      /* no descriptor */
    SM_MODULE_E_FORMAT,     /* another format version or header size */
    SM_MODULE_E_SIZE,       /* descriptor size wrong, or past the payload */
    SM_MODULE_E_ID,         /* partition id not positive */
    SM_MODULE_E_NAME,       /* name empty, too long, bad characters or padding */
    SM_MODULE_E_PRIORITY,   /* unknown priority, or reserved byte set */
    SM_MODULE_E_COUNTS,     /* no service, or too many services, dependencies, relocations */
    SM_MODULE_E_SERVICE,    /* a service: SID 0, version, policy, flags or handle */
    SM_MODULE_E_DUPLICATE,  /* a SID or stateless handle twice, or a dependency twice */
    SM_MODULE_E_DEPENDENCY, /* a dependency on SID 0 or on the module's own service */
    SM_MODULE_E_ENTRY,      /* entry point not Thumb, or outside the code past the descriptor */
    SM_MODULE_E_LAYOUT,     /* code, data image or sizes outside the payload or misaligned */
    SM_MODULE_E_STACK,      /* stack under SM_MODULE_STACK_MIN or not a multiple of 8 */
    SM_MODULE_E_RAM,        /* data + bss + stack larger than the slot's RAM window */
    SM_MODULE_E_RELOC,      /* a relocation offset misaligned, in the GOT, past .data, or
                               not increasing */
    SM_MODULE_E_POINTER,    /* a pointer (GOT or relocated) outside the module's memory */
};

struct sm_module_service {
    uint32_t sid;
    uint32_t version;
    uint8_t policy; /* 0 STRICT, 1 RELAXED */
    uint8_t flags;  /* SM_MODULE_SVC_* */
    uint8_t stateless_handle;
};

/* What the parser found; offsets are from the payload start. */
struct sm_module_info {
    char name[SM_MODULE_NAME_MAX + 1];
    int32_t id;
    uint8_t priority;
    uint8_t n_services, n_deps;
    uint16_t got_words, n_relocs;
    uint32_t desc_size;
    uint32_t entry;    /* payload offset | 1 */
    uint32_t code_end; /* code and read-only data: [0, code_end) */
    uint32_t data_image, data_size, bss_size, stack_size;
    uint32_t ram_size;  /* data and bss each rounded up to 8, plus the stack */
    uint32_t reloc_off; /* the relocation table, n_relocs words */
    struct sm_module_service services[SM_MODULE_SERVICES_MAX];
    uint32_t deps[SM_MODULE_DEPS_MAX];
};

/* Parses the descriptor of a payload of payload_len bytes, for a slot whose RAM window is
 * ram_window bytes. */
enum sm_module_status sm_module_parse(const uint8_t *payload, size_t payload_len,
                                      uint32_t ram_window, struct sm_module_info *out);

/* Relocates `data` (a copy of the data image, info->data_size bytes) for a module whose
 * payload runs at flash_base and whose RAM starts at ram_base: every GOT word, then every
 * relocation of the table in `payload`. */
enum sm_module_status sm_module_relocate(const struct sm_module_info *info, const uint8_t *payload,
                                         uint8_t *data, uint32_t flash_base, uint32_t ram_base);

/* What status s means, as printed: its text, or in the product profile's images (SM_TERSE) its
 * short code (sm_why.h). */
const char *sm_module_strerror(enum sm_module_status s);

#endif /* SM_MODULE_DESC_H */
