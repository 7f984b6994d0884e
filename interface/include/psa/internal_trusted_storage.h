/*
 * psa/internal_trusted_storage.h: the PSA Internal Trusted Storage API 1.0, written from the
 * specification. Assets are named by a 64-bit UID that is private to the caller: two clients
 * using the same UID have two different assets.
 *
 * Status codes (as the specification names them):
 * - psa_its_set: PSA_ERROR_NOT_PERMITTED (the asset exists with PSA_STORAGE_FLAG_WRITE_ONCE),
 *   PSA_ERROR_NOT_SUPPORTED (a flag this implementation does not know),
 *   PSA_ERROR_INVALID_ARGUMENT (UID 0, a NULL or wrapping buffer, or more than the largest
 *   asset the device was configured for), PSA_ERROR_INSUFFICIENT_STORAGE,
 *   PSA_ERROR_STORAGE_FAILURE.
 * - psa_its_get: PSA_ERROR_DOES_NOT_EXIST, PSA_ERROR_INVALID_ARGUMENT (UID 0, bad pointers,
 *   data_offset past the end of the asset), PSA_ERROR_INVALID_SIGNATURE (the stored data fails
 *   authentication), PSA_ERROR_DATA_CORRUPT (the storage's own records fail it),
 *   PSA_ERROR_STORAGE_FAILURE.
 * - psa_its_get_info, psa_its_remove: PSA_ERROR_DOES_NOT_EXIST, PSA_ERROR_INVALID_ARGUMENT,
 *   PSA_ERROR_NOT_PERMITTED (removing a write-once asset), PSA_ERROR_DATA_CORRUPT,
 *   PSA_ERROR_STORAGE_FAILURE.
 * A call that fails changes nothing.
 */
#ifndef PSA_INTERNAL_TRUSTED_STORAGE_H
#define PSA_INTERNAL_TRUSTED_STORAGE_H

#include <stddef.h>
#include <stdint.h>

#include "psa/storage_common.h"

#define PSA_ITS_API_VERSION_MAJOR 1
#define PSA_ITS_API_VERSION_MINOR 0

psa_status_t psa_its_set(psa_storage_uid_t uid, size_t data_length, const void *p_data,
                         psa_storage_create_flags_t create_flags);
psa_status_t psa_its_get(psa_storage_uid_t uid, size_t data_offset, size_t data_size, void *p_data,
                         size_t *p_data_length);
psa_status_t psa_its_get_info(psa_storage_uid_t uid, struct psa_storage_info_t *p_info);
psa_status_t psa_its_remove(psa_storage_uid_t uid);

#endif /* PSA_INTERNAL_TRUSTED_STORAGE_H */
