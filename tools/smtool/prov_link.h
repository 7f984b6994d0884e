/*
 * prov_link.h: the programmer's side of the provisioning protocol's line (cmd_prov.c), shared
 * by its commands (device info, lifecycle, install).
 *
 * Contract: smtool_prov_open connects to a unix socket or opens a serial device, retrying a
 * socket not there yet until `until` (smtool_now's clock); -1 with the reason printed.
 * smtool_prov_transact sends a request again every second until a reply of type `want`, or a
 * STATUS, with its sequence number comes, or `seconds` pass: the reply's length if it is of
 * type `want`, -2 - length for a STATUS instead, 0 for no answer, -1 if the line is gone; the
 * payload is copied to `out`. With `record` set (`--record FILE`), each request's frame is
 * also appended to it once, however often it is sent: the bytes a replay of the session
 * gives the device (`make bench`, scripts/bench.sh's install figure). smtool_prov_hello sends HELLO
 * and parses INFO (0, or the exit status with the reason printed); smtool_prov_refused prints a
 * STATUS's reason (returns 1).
 */
#ifndef PROV_LINK_H
#define PROV_LINK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sm_frame.h"
#include "sm_prov_proto.h"

struct sm_prov_link {
    int fd;
    uint8_t seq;
    FILE *record; /* NULL: none */
    struct sm_frame_rx rx;
};

double smtool_now(void);
int smtool_prov_open(const char *cmd, const char *path, double until);
int smtool_prov_transact(struct sm_prov_link *l, uint8_t type, const uint8_t *payload, size_t len,
                         uint8_t want, double seconds, uint8_t out[SM_FRAME_PAYLOAD_MAX]);
int smtool_prov_hello(const char *cmd, struct sm_prov_link *l, double seconds,
                      struct sm_prov_info *info, uint8_t payload[SM_FRAME_PAYLOAD_MAX]);
int smtool_prov_refused(const char *cmd, const uint8_t *p, size_t len);

#endif /* PROV_LINK_H */
