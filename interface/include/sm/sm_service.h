/*
 * sm/sm_service.h: the SM's addition to the PSA service API for a partition's service loop.
 *
 * sm_reply_wait(h, status, mask) is exactly psa_reply(h, status) followed by
 * psa_wait(mask, PSA_BLOCK), with the same checks and outcomes (a bad reply is a programmer
 * error that stops the partition; a mask with none of the partition's signals too), in one
 * kernel entry instead of two: most services wait again right after replying
 * (docs/design/call-path.md). Returns the asserted signals of mask, as psa_wait.
 */
#ifndef SM_SERVICE_H
#define SM_SERVICE_H

#include "psa/service.h"

psa_signal_t sm_reply_wait(psa_handle_t msg_handle, psa_status_t status, psa_signal_t mask);

#endif /* SM_SERVICE_H */
