/*
 * main.c: the demo non-secure application.
 */
#include "smak.h"

#ifndef DEMO_VERSION
#define DEMO_VERSION "1.0.0"
#endif

int main(void)
{
    smak_printf("NS: demo application %s started in the non-secure world\n", DEMO_VERSION);
    return 0;
}
