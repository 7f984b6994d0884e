/*
 * sm_module_desc.c: see sm_module_desc.h. The descriptor is hostile input: every field is
 * checked before anything is derived from it, in the order of the layout, and sizes are added
 * in 64 bits so that no sum can wrap.
 */
#include "sm_module_desc.h"

#include <stdbool.h>
#include <string.h>

#include "sm_why.h"

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint64_t round8(uint64_t n)
{
    return (n + 7u) & ~(uint64_t)7u;
}

static bool name_ok(const uint8_t name[16], char out[SM_MODULE_NAME_MAX + 1])
{
    size_t n = 0;
    while (n < 16u && name[n] != 0u) {
        const uint8_t c = name[n];
        const bool upper = c >= 'A' && c <= 'Z';
        if (!(upper || (n > 0u && ((c >= '0' && c <= '9') || c == '_')))) {
            return false;
        }
        n++;
    }
    if (n == 0u || n > SM_MODULE_NAME_MAX) {
        return false;
    }
    for (size_t i = n; i < 16u; i++) {
        if (name[i] != 0u) {
            return false; /* padding is zeros: one name, one encoding */
        }
    }
    memcpy(out, name, n);
    out[n] = '\0';
    return true;
}

static enum sm_module_status parse_services(const uint8_t *p, struct sm_module_info *m)
{
    for (uint32_t i = 0; i < m->n_services; i++, p += SM_MODULE_SERVICE_SIZE) {
        struct sm_module_service *s = &m->services[i];
        s->sid = get32(p);
        s->version = get32(p + 4);
        s->policy = p[8];
        s->flags = p[9];
        s->stateless_handle = p[10];
        const bool connection = (s->flags & SM_MODULE_SVC_CONNECTION) != 0u;
        if (s->sid == 0u || s->version == 0u || s->policy > 1u ||
            (s->flags & ~(SM_MODULE_SVC_CONNECTION | SM_MODULE_SVC_NS)) != 0u || p[11] != 0u) {
            return SM_MODULE_E_SERVICE;
        }
        /* A stateless handle carries the version in 8 bits and its index in 5 (sm_kernel.h). */
        if (connection ? s->stateless_handle != SM_MODULE_NO_HANDLE
                       : (s->stateless_handle > 31u || s->version > 255u)) {
            return SM_MODULE_E_SERVICE;
        }
        for (uint32_t j = 0; j < i; j++) {
            const struct sm_module_service *o = &m->services[j];
            if (o->sid == s->sid || (!connection && o->stateless_handle == s->stateless_handle)) {
                return SM_MODULE_E_DUPLICATE;
            }
        }
    }
    return SM_MODULE_OK;
}

static enum sm_module_status parse_deps(const uint8_t *p, struct sm_module_info *m)
{
    for (uint32_t i = 0; i < m->n_deps; i++, p += 4) {
        const uint32_t sid = get32(p);
        if (sid == 0u) {
            return SM_MODULE_E_DEPENDENCY;
        }
        for (uint32_t j = 0; j < m->n_services; j++) {
            if (m->services[j].sid == sid) {
                return SM_MODULE_E_DEPENDENCY; /* calling itself would deadlock its thread */
            }
        }
        for (uint32_t j = 0; j < i; j++) {
            if (m->deps[j] == sid) {
                return SM_MODULE_E_DUPLICATE;
            }
        }
        m->deps[i] = sid;
    }
    return SM_MODULE_OK;
}

static enum sm_module_status parse_layout(const uint8_t *h, size_t payload_len, uint32_t ram_window,
                                          struct sm_module_info *m)
{
    m->entry = get32(h + 36);
    m->code_end = get32(h + 40);
    m->data_image = get32(h + 44);
    m->data_size = get32(h + 48);
    m->bss_size = get32(h + 52);
    m->stack_size = get32(h + 56);
    m->got_words = get16(h + 60);
    /* The code holds the descriptor and lies in the payload, before the data image, which
     * lies in the payload too; all in words. */
    if (m->code_end < m->desc_size || m->code_end % 4u != 0u || m->data_image < m->code_end ||
        m->data_image % 4u != 0u || m->data_size % 4u != 0u || m->bss_size % 4u != 0u ||
        (uint64_t)m->data_image + m->data_size > payload_len ||
        (uint64_t)m->got_words * 4u > m->data_size) {
        return SM_MODULE_E_LAYOUT;
    }
    const uint32_t entry = m->entry & ~1u;
    if ((m->entry & 1u) == 0u || entry < m->desc_size || entry >= m->code_end) {
        return SM_MODULE_E_ENTRY;
    }
    if (m->stack_size < SM_MODULE_STACK_MIN || m->stack_size % 8u != 0u) {
        return SM_MODULE_E_STACK;
    }
    const uint64_t ram = round8((uint64_t)m->data_size + m->bss_size) + m->stack_size;
    if (ram > ram_window) {
        return SM_MODULE_E_RAM;
    }
    m->ram_size = (uint32_t)ram;
    return SM_MODULE_OK;
}

static enum sm_module_status parse_relocs(const uint8_t *p, const struct sm_module_info *m)
{
    uint64_t next = (uint64_t)m->got_words * 4u; /* the lowest offset the next one may have */
    for (uint32_t i = 0; i < m->n_relocs; i++, p += 4) {
        const uint32_t at = get32(p);
        if (at % 4u != 0u || at < next || (uint64_t)at + 4u > m->data_size) {
            return SM_MODULE_E_RELOC;
        }
        next = (uint64_t)at + 4u;
    }
    return SM_MODULE_OK;
}

enum sm_module_status sm_module_parse(const uint8_t *payload, size_t payload_len,
                                      uint32_t ram_window, struct sm_module_info *out)
{
    struct sm_module_info m;
    memset(&m, 0, sizeof(m));
    if (payload_len < SM_MODULE_HDR_SIZE) {
        return SM_MODULE_E_SHORT;
    }
    const uint8_t *h = payload;
    if (get32(h) != SM_MODULE_MAGIC) {
        return SM_MODULE_E_MAGIC;
    }
    if (get16(h + 4) != SM_MODULE_FORMAT || get16(h + 6) != SM_MODULE_HDR_SIZE) {
        return SM_MODULE_E_FORMAT;
    }
    m.desc_size = get32(h + 8);
    m.n_services = h[33];
    m.n_deps = h[34];
    m.n_relocs = get16(h + 62);
    if (m.n_services == 0u || m.n_services > SM_MODULE_SERVICES_MAX ||
        m.n_deps > SM_MODULE_DEPS_MAX || m.n_relocs > SM_MODULE_RELOCS_MAX) {
        return SM_MODULE_E_COUNTS;
    }
    const uint64_t want = SM_MODULE_HDR_SIZE + (uint64_t)m.n_services * SM_MODULE_SERVICE_SIZE +
                          (uint64_t)m.n_deps * 4u + (uint64_t)m.n_relocs * 4u;
    if (m.desc_size != want || m.desc_size > payload_len) {
        return SM_MODULE_E_SIZE;
    }
    m.id = (int32_t)get32(h + 12);
    if (m.id <= 0) {
        return SM_MODULE_E_ID;
    }
    if (!name_ok(h + 16, m.name)) {
        return SM_MODULE_E_NAME;
    }
    m.priority = h[32];
    if (m.priority > 2u || h[35] != 0u) {
        return SM_MODULE_E_PRIORITY;
    }
    const uint8_t *p = h + SM_MODULE_HDR_SIZE;
    enum sm_module_status rc = parse_services(p, &m);
    p += (size_t)m.n_services * SM_MODULE_SERVICE_SIZE;
    if (rc == SM_MODULE_OK) {
        rc = parse_deps(p, &m);
    }
    p += (size_t)m.n_deps * 4u;
    m.reloc_off = (uint32_t)(p - payload);
    if (rc == SM_MODULE_OK) {
        rc = parse_layout(h, payload_len, ram_window, &m);
    }
    if (rc == SM_MODULE_OK) {
        rc = parse_relocs(p, &m);
    }
    if (rc == SM_MODULE_OK) {
        *out = m;
    }
    return rc;
}

/* One pointer word as linked, moved to where the module runs; false if it points elsewhere. */
static bool relocate_word(const struct sm_module_info *m, uint8_t *w, uint32_t flash_base,
                          uint32_t ram_base)
{
    const uint32_t v = get32(w);
    uint32_t to;
    if (v == 0u) {
        return true; /* NULL stays NULL: nothing of the module's is at payload offset 0 */
    }
    if (v < m->code_end) {
        to = flash_base + v;
    } else if (v >= SM_MODULE_RAM_LINK && v - SM_MODULE_RAM_LINK < m->ram_size) {
        to = ram_base + (v - SM_MODULE_RAM_LINK);
    } else {
        return false;
    }
    w[0] = (uint8_t)to;
    w[1] = (uint8_t)(to >> 8);
    w[2] = (uint8_t)(to >> 16);
    w[3] = (uint8_t)(to >> 24);
    return true;
}

enum sm_module_status sm_module_relocate(const struct sm_module_info *info, const uint8_t *payload,
                                         uint8_t *data, uint32_t flash_base, uint32_t ram_base)
{
    if ((uint64_t)flash_base + info->code_end > UINT32_MAX ||
        (uint64_t)ram_base + info->ram_size > UINT32_MAX ||
        info->got_words * 4u > info->data_size) {
        return SM_MODULE_E_LAYOUT;
    }
    for (uint32_t i = 0; i < info->got_words; i++) {
        if (!relocate_word(info, data + 4u * i, flash_base, ram_base)) {
            return SM_MODULE_E_POINTER;
        }
    }
    const uint8_t *r = payload + info->reloc_off;
    for (uint32_t i = 0; i < info->n_relocs; i++, r += 4) {
        const uint32_t at = get32(r); /* checked by the parse, again: flash is read anew */
        if (at % 4u != 0u || (uint64_t)at + 4u > info->data_size) {
            return SM_MODULE_E_RELOC;
        }
        if (!relocate_word(info, data + at, flash_base, ram_base)) {
            return SM_MODULE_E_POINTER;
        }
    }
    return SM_MODULE_OK;
}

const char *sm_module_strerror(enum sm_module_status s)
{
    switch (s) {
    case SM_MODULE_OK:
        return "ok";
    case SM_MODULE_E_SHORT:
        return SM_WHY("D1", "payload shorter than a module descriptor");
    case SM_MODULE_E_MAGIC:
        return SM_WHY("D2", "no module descriptor (magic)");
    case SM_MODULE_E_FORMAT:
        return SM_WHY("D3", "module descriptor of another format version or header size");
    case SM_MODULE_E_SIZE:
        return SM_WHY("D4",
                      "module descriptor size does not match its counts, or runs past the payload");
    case SM_MODULE_E_ID:
        return SM_WHY("D5", "partition id not positive");
    case SM_MODULE_E_NAME:
        return SM_WHY("D6", "module name empty, longer than 15, or not an upper-case identifier");
    case SM_MODULE_E_PRIORITY:
        return SM_WHY("D7", "unknown priority, or a reserved byte set");
    case SM_MODULE_E_COUNTS:
        return SM_WHY("D8", "no service, or too many services, dependencies or relocations");
    case SM_MODULE_E_SERVICE:
        return SM_WHY("D9",
                      "a service with SID 0, a bad version, policy, flags or stateless handle");
    case SM_MODULE_E_DUPLICATE:
        return SM_WHY("D10", "a SID, stateless handle or dependency given twice");
    case SM_MODULE_E_DEPENDENCY:
        return SM_WHY("D11", "a dependency on SID 0 or on the module's own service");
    case SM_MODULE_E_ENTRY:
        return SM_WHY("D12", "entry point not Thumb code of the module past its descriptor");
    case SM_MODULE_E_LAYOUT:
        return SM_WHY("D13", "code, data image or sizes outside the payload or not in words");
    case SM_MODULE_E_STACK:
        return SM_WHY("D14", "stack smaller than 256 bytes or not a multiple of 8");
    case SM_MODULE_E_RAM:
        return SM_WHY("D15", "data, bss and stack do not fit the slot's RAM window");
    case SM_MODULE_E_RELOC:
        return SM_WHY("D16", "a relocation misaligned, in the GOT, past .data or out of order");
    case SM_MODULE_E_POINTER:
        return SM_WHY("D17", "a pointer outside the module's own flash and RAM");
    }
    return SM_WHY("D18", "unknown module descriptor status");
}
