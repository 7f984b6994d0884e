/*
 * sm/sm_service.h: the SM's addition to the PSA service API for a partition's service loop.
 *
 * sm_reply_wait(h, status, mask) is exactly psa_reply(h, status) followed by
 * psa_wait(mask, PSA_BLOCK), with the same checks and outcomes (a bad reply is a programmer
 * error that stops the partition; a mask with none of the partition's signals too), in one
 * kernel entry instead of two: most services wait again right after replying
 * (docs/design/call-path.md). Returns the asserted signals of mask, as psa_wait.
 *
 * sm_reply_get(h, status, mask, msg) is psa_reply(h, status) (none if h is PSA_NULL_HANDLE),
 * then psa_wait(mask, PSA_BLOCK), then, if the signals it returns hold a service signal,
 * psa_get of the lowest of them into *msg, in one kernel entry: a service's loop pays one
 * supervisor call a request, and a call sent while the service waits goes straight into *msg.
 * Returns psa_wait's signals; *msg holds the message of their lowest service signal if they
 * have one (a service signal is asserted exactly while a message waits for it, so psa_get
 * cannot fail there), and is untouched otherwise. The three calls' checks and outcomes: a bad
 * reply, a mask with none of the partition's signals, or a msg the partition may not write
 * (or misaligned; checked before the wait) stop the partition.
 */
#ifndef SM_SERVICE_H
#define SM_SERVICE_H

#include "psa/service.h"

psa_signal_t sm_reply_wait(psa_handle_t msg_handle, psa_status_t status, psa_signal_t mask);
psa_signal_t sm_reply_get(psa_handle_t msg_handle, psa_status_t status, psa_signal_t mask,
                          psa_msg_t *msg);

#endif /* SM_SERVICE_H */
