/*
 * semihosting.h: Arm semihosting calls (bkpt 0xAB), used on the emulated board only to back
 * the flash with a host file and to end a run with a status.
 *
 * Contract: functions return what the semihosting specification says (handles >= 0 or -1;
 * read/write return the number of bytes NOT transferred). Callable from privileged secure code.
 */
#ifndef SEMIHOSTING_H
#define SEMIHOSTING_H

#include <stddef.h>
#include <stdint.h>

#define SH_MODE_RB     1 /* fopen "rb" */
#define SH_MODE_RPLUSB 3 /* fopen "r+b" */

int sh_open(const char *path, int mode);
int sh_close(int handle);
size_t sh_write(int handle, const void *buf, size_t len);
size_t sh_read(int handle, void *buf, size_t len);
int sh_seek(int handle, uint32_t position);
long sh_flen(int handle);
__attribute__((noreturn)) void sh_exit(uint32_t code);

#endif /* SEMIHOSTING_H */
