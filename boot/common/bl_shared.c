/*
 * bl_shared.c: see bl_shared.h.
 */
#include "bl_shared.h"

#include <string.h>

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
    r->version = img->version;
    r->sec_cnt = img->sec_cnt;
    memcpy(r->measurement, img->measurement, sizeof(r->measurement));
    memcpy(r->signer, img->signer, sizeof(r->signer));
    d->count++;
    return BL_OK;
}

void bl_shared_add_stats(struct bl_shared_data *d)
{
    d->hash_ticks += bl_verify_stats()->hash_ticks;
    d->sig_ticks += bl_verify_stats()->sig_ticks;
}
