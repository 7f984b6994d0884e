/*
 * fuzz_frames.h: the input driver the harnesses of the serial-line protocols share
 * (fuzz_update_proto.c, fuzz_prov_proto.c).
 *
 * Contract: fuzz_frames(data, size, check) reads a libFuzzer input as those harnesses define
 * it: [0] mode; bit 0 set, [1] is a frame type, [2] a sequence number and the rest one frame's
 * payload (at most SM_FRAME_PAYLOAD_MAX bytes), which check() gets in a heap buffer of exactly
 * its length (so a read past it is an ASan finding); bit 0 clear, the rest is a byte stream fed
 * to the frame decoder (sm_frame.h), and check() gets every frame it reports, as a device
 * would. Returns -1 for an input the format rejects (libFuzzer keeps it out of the corpus), 0
 * otherwise.
 */
#ifndef FUZZ_FRAMES_H
#define FUZZ_FRAMES_H

#include <stddef.h>
#include <stdint.h>

typedef void (*fuzz_frame_check)(uint8_t type, uint8_t seq, const uint8_t *payload, size_t len);

int fuzz_frames(const uint8_t *data, size_t size, fuzz_frame_check check);

#endif /* FUZZ_FRAMES_H */
