/*
 * psa/storage_common.h: types shared by the PSA storage APIs (PSA Internal Trusted Storage 1.0,
 * PSA Protected Storage 1.0), written from the specification.
 */
#ifndef PSA_STORAGE_COMMON_H
#define PSA_STORAGE_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"

typedef uint32_t psa_storage_create_flags_t;
typedef uint64_t psa_storage_uid_t;

#define PSA_STORAGE_FLAG_NONE                 0u
#define PSA_STORAGE_FLAG_WRITE_ONCE           (1u << 0)
#define PSA_STORAGE_FLAG_NO_CONFIDENTIALITY   (1u << 1)
#define PSA_STORAGE_FLAG_NO_REPLAY_PROTECTION (1u << 2)

struct psa_storage_info_t {
    size_t capacity; /* the most the asset may hold (its size, for ITS) */
    size_t size;     /* bytes stored */
    psa_storage_create_flags_t flags;
};

#endif /* PSA_STORAGE_COMMON_H */
