/*
 * bl_shared.c: see bl_shared.h.
 */
#include "bl_shared.h"

#include <string.h>

#include "bl_slots.h"
#include "bl_status.h"
#include "bl_verify.h"

void bl_shared_reset(struct bl_shared_data *d)
{
    memset(d, 0, sizeof(*d));
    d->magic = BL_SHARED_MAGIC;
}

int bl_shared_add(struct bl_shared_data *d, const struct bl_boot_image *img)
{
    if (d->magic != BL_SHARED_MAGIC || d->count >= BL_KIND_COUNT) {
        return BL_E_CONFIG;
    }
    struct bl_boot_record *r = &d->records[d->count];
    memset(r, 0, sizeof(*r));
    r->kind = (uint8_t)img->kind;
    r->trial = img->trial ? 1 : 0;
    r->entry_offset = img->entry_offset;
    r->version = img->version;
    r->sec_cnt = img->sec_cnt;
    memcpy(r->measurement, img->measurement, sizeof(r->measurement));
    memcpy(r->signer, img->signer, sizeof(r->signer));
    d->count++;
    return BL_OK;
}

int bl_shared_find(const struct bl_shared_data *d, enum bl_kind kind,
                   const struct bl_boot_record **out)
{
    const struct bl_slot_pair *s = bl_slots(kind);
    *out = NULL;
    if (s == NULL || d->magic != BL_SHARED_MAGIC || d->count > BL_KIND_COUNT) {
        return BL_E_CONFIG;
    }
    for (uint32_t i = 0; i < d->count; i++) {
        const struct bl_boot_record *r = &d->records[i];
        if (r->kind == (uint8_t)kind) {
            /* A vector table inside the slot, before its trailer. */
            if (r->entry_offset < s->primary || r->entry_offset >= s->primary + s->size - 64u ||
                r->entry_offset % 4u != 0u) {
                return BL_E_CONFIG;
            }
            *out = r;
            return BL_OK;
        }
    }
    return BL_E_CONFIG;
}

void bl_shared_add_stats(struct bl_shared_data *d)
{
    d->hash_ticks += bl_verify_stats()->hash_ticks;
    d->sig_ticks += bl_verify_stats()->sig_ticks;
}
