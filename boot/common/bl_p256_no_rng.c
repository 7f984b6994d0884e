/*
 * bl_p256_no_rng.c: p256-m's randomness hook for code that only verifies and does ECDH.
 *
 * Boot stages never generate keys or sign, so they have no random source; should anything try,
 * it fails closed instead of using weak randomness.
 */
#include <stddef.h>
#include <stdint.h>

#include "p256-m.h"

int p256_generate_random(uint8_t *output, unsigned output_size)
{
    (void)output;
    (void)output_size;
    return -1;
}
