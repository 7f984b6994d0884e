/*
 * host_flash.c: see host_flash.h. The rules themselves are in platform/common/flash_emu.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "host_flash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flash_backend.h"
#include "plat_flash.h"

#define FLASH_UNITS      (FLASH_SIZE / FLASH_PROGRAM_UNIT)
#define PROG_BYTES       (FLASH_UNITS / 8)
#define UNITS_PER_SECTOR (FLASH_SECTOR_SIZE / FLASH_PROGRAM_UNIT)

static struct {
    bool open;
    bool powered;
    uint8_t *data;
    uint8_t *prog;
    int data_fd; /* -1 when RAM only */
    int prog_fd;
    long ops;
    long cut_after;
    bool torn;
    uint32_t noise;
    void (*on_cut)(void *ctx);
    void *on_cut_ctx;
    uint32_t erases[FLASH_SIZE / FLASH_SECTOR_SIZE]; /* completed, since open */
} hf = {.data_fd = -1, .prog_fd = -1, .cut_after = -1};

static bool unit_bit(uint32_t unit)
{
    return (hf.prog[unit / 8] >> (unit % 8)) & 1u;
}

static void set_unit_bit(uint32_t unit, bool programmed)
{
    if (programmed) {
        hf.prog[unit / 8] |= (uint8_t)(1u << (unit % 8));
    } else {
        hf.prog[unit / 8] &= (uint8_t) ~(1u << (unit % 8));
    }
}

static int write_all(int fd, const uint8_t *src, size_t len, off_t at)
{
    while (len > 0) {
        ssize_t n = pwrite(fd, src, len, at);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return PLAT_FLASH_E_IO;
        }
        src += n;
        len -= (size_t)n;
        at += n;
    }
    return PLAT_FLASH_OK;
}

static int read_all(int fd, uint8_t *dst, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(fd, dst + done, len - done, (off_t)done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return PLAT_FLASH_E_IO;
        }
        done += (size_t)n;
    }
    return PLAT_FLASH_OK;
}

/* Write the given data bytes and the prog bytes covering units [first, first + count). */
static int persist(uint32_t offset, uint32_t len)
{
    if (hf.data_fd < 0) {
        return PLAT_FLASH_OK;
    }
    uint32_t first = offset / FLASH_PROGRAM_UNIT;
    uint32_t last = (offset + len - 1) / FLASH_PROGRAM_UNIT;
    int rc = write_all(hf.data_fd, hf.data + offset, len, offset);
    if (rc == PLAT_FLASH_OK) {
        rc = write_all(hf.prog_fd, hf.prog + first / 8, last / 8 - first / 8 + 1, first / 8);
    }
    return rc;
}

static int open_file(const char *dir, const char *name, size_t size, uint8_t fill, bool create)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path)) {
        return -1;
    }
    int fd = open(path, O_RDWR | (create ? O_CREAT : 0), 0644);
    if (fd < 0) {
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return -1;
    }
    if (st.st_size == 0 && create) {
        uint8_t *blank = malloc(size);
        if (blank == NULL) {
            close(fd);
            return -1;
        }
        memset(blank, fill, size);
        int rc = write_all(fd, blank, size, 0);
        free(blank);
        if (rc != PLAT_FLASH_OK) {
            close(fd);
            return -1;
        }
    } else if ((size_t)st.st_size != size) {
        close(fd);
        errno = EINVAL;
        return -1;
    }
    return fd;
}

static int alloc_buffers(void)
{
    hf.data = malloc(FLASH_SIZE);
    hf.prog = malloc(PROG_BYTES);
    if (hf.data == NULL || hf.prog == NULL) {
        host_flash_close();
        return PLAT_FLASH_E_IO;
    }
    memset(hf.data, FLASH_ERASED_VALUE, FLASH_SIZE);
    memset(hf.prog, 0, PROG_BYTES);
    memset(hf.erases, 0, sizeof(hf.erases));
    return PLAT_FLASH_OK;
}

static void reset_power_state(void)
{
    hf.open = true;
    hf.powered = true;
    hf.ops = 0;
    hf.cut_after = -1;
    hf.torn = false;
}

int host_flash_open_ram(void)
{
    host_flash_close();
    int rc = alloc_buffers();
    if (rc == PLAT_FLASH_OK) {
        reset_power_state();
    }
    return rc;
}

int host_flash_open_dir(const char *dir, bool create)
{
    host_flash_close();
    if (create) {
        mkdir(dir, 0755); /* may exist already */
    }
    int rc = alloc_buffers();
    if (rc != PLAT_FLASH_OK) {
        return rc;
    }
    hf.data_fd = open_file(dir, "flash.img", FLASH_SIZE, FLASH_ERASED_VALUE, create);
    hf.prog_fd = open_file(dir, "flash.prog", PROG_BYTES, 0, create);
    if (hf.data_fd < 0 || hf.prog_fd < 0 || read_all(hf.data_fd, hf.data, FLASH_SIZE) != 0 ||
        read_all(hf.prog_fd, hf.prog, PROG_BYTES) != 0) {
        host_flash_close();
        return PLAT_FLASH_E_IO;
    }
    reset_power_state();
    return PLAT_FLASH_OK;
}

void host_flash_close(void)
{
    if (hf.data_fd >= 0) {
        close(hf.data_fd);
    }
    if (hf.prog_fd >= 0) {
        close(hf.prog_fd);
    }
    free(hf.data);
    free(hf.prog);
    hf.data = NULL;
    hf.prog = NULL;
    hf.data_fd = -1;
    hf.prog_fd = -1;
    hf.open = false;
    hf.powered = false;
}

void host_flash_cut_after(long ops, bool torn)
{
    hf.cut_after = ops < 0 ? -1 : hf.ops + ops;
    hf.torn = torn;
}

long host_flash_ops(void)
{
    return hf.ops;
}

bool host_flash_powered(void)
{
    return hf.powered;
}

void host_flash_power_on(void)
{
    /* Write-through means memory already equals the backing files: nothing to reload. */
    if (hf.open) {
        reset_power_state();
    }
}

void host_flash_on_cut(void (*handler)(void *ctx), void *ctx)
{
    hf.on_cut = handler;
    hf.on_cut_ctx = ctx;
}

/* Deterministic noise for torn operations (xorshift32), so a failing cut replays exactly. */
static uint8_t noise_byte(void)
{
    uint32_t x = hf.noise != 0 ? hf.noise : 0x9E3779B9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    hf.noise = x;
    return (uint8_t)x;
}

/* Counts an operation; returns true when this one is the one the power cut interrupts. */
static bool operation_is_cut(void)
{
    if (hf.cut_after >= 0 && hf.ops >= hf.cut_after) {
        return true;
    }
    hf.ops++;
    return false;
}

static int cut_power(void)
{
    hf.powered = false;
    if (hf.on_cut != NULL) {
        hf.on_cut(hf.on_cut_ctx);
    }
    return PLAT_FLASH_E_POWER;
}

int flash_backend_ready(void)
{
    if (!hf.open) {
        return PLAT_FLASH_E_NOT_READY;
    }
    return hf.powered ? PLAT_FLASH_OK : PLAT_FLASH_E_POWER;
}

int flash_backend_read(uint32_t offset, void *dst, uint32_t len)
{
    memcpy(dst, hf.data + offset, len);
    return PLAT_FLASH_OK;
}

int flash_backend_unit_programmed(uint32_t unit_offset, bool *programmed)
{
    *programmed = unit_bit(unit_offset / FLASH_PROGRAM_UNIT);
    return PLAT_FLASH_OK;
}

int flash_backend_program_unit(uint32_t unit_offset, const uint8_t *src)
{
    uint8_t *dst = hf.data + unit_offset;
    if (operation_is_cut()) {
        if (hf.torn) {
            hf.noise = (uint32_t)unit_offset * 2654435761u + (uint32_t)hf.ops;
            /* Some bits of the new value made it: programming only clears bits. */
            for (uint32_t i = 0; i < FLASH_PROGRAM_UNIT; i++) {
                dst[i] &= (uint8_t)(src[i] | noise_byte());
            }
            set_unit_bit(unit_offset / FLASH_PROGRAM_UNIT, true);
            (void)persist(unit_offset, FLASH_PROGRAM_UNIT);
        }
        return cut_power();
    }
    for (uint32_t i = 0; i < FLASH_PROGRAM_UNIT; i++) {
        dst[i] &= src[i];
    }
    set_unit_bit(unit_offset / FLASH_PROGRAM_UNIT, true);
    return persist(unit_offset, FLASH_PROGRAM_UNIT);
}

int flash_backend_erase_sector(uint32_t sector_offset)
{
    uint32_t first_unit = sector_offset / FLASH_PROGRAM_UNIT;
    uint32_t erased_units = UNITS_PER_SECTOR;
    bool cut = operation_is_cut();
    if (cut) {
        if (!hf.torn) {
            return cut_power();
        }
        hf.noise = sector_offset * 2654435761u + (uint32_t)hf.ops;
        erased_units = 1 + noise_byte() % (UNITS_PER_SECTOR - 1);
    }
    memset(hf.data + sector_offset, FLASH_ERASED_VALUE, erased_units * FLASH_PROGRAM_UNIT);
    for (uint32_t u = 0; u < erased_units; u++) {
        set_unit_bit(first_unit + u, false);
    }
    if (cut) {
        /* The unit at the boundary is half erased: bits set at random, state unreliable. */
        uint8_t *boundary = hf.data + sector_offset + erased_units * FLASH_PROGRAM_UNIT;
        if (erased_units < UNITS_PER_SECTOR) {
            for (uint32_t i = 0; i < FLASH_PROGRAM_UNIT; i++) {
                boundary[i] |= noise_byte();
            }
        }
        (void)persist(sector_offset, FLASH_SECTOR_SIZE);
        return cut_power();
    }
    hf.erases[sector_offset / FLASH_SECTOR_SIZE]++;
    return persist(sector_offset, FLASH_SECTOR_SIZE);
}

uint32_t host_flash_erase_count(uint32_t offset)
{
    return offset < FLASH_SIZE ? hf.erases[offset / FLASH_SECTOR_SIZE] : 0u;
}

int host_flash_save(uint32_t offset, uint32_t len, uint8_t *data, uint8_t *prog_bits)
{
    if (!hf.open || offset % FLASH_PROGRAM_UNIT != 0 || len % FLASH_PROGRAM_UNIT != 0 ||
        offset > FLASH_SIZE || len > FLASH_SIZE - offset) {
        return PLAT_FLASH_E_RANGE;
    }
    memcpy(data, hf.data + offset, len);
    for (uint32_t u = 0; u < len / FLASH_PROGRAM_UNIT; u++) {
        bool p = unit_bit(offset / FLASH_PROGRAM_UNIT + u);
        prog_bits[u / 8] =
            (uint8_t)((prog_bits[u / 8] & ~(1u << (u % 8))) | ((unsigned)p << (u % 8)));
    }
    return PLAT_FLASH_OK;
}

int host_flash_restore(uint32_t offset, uint32_t len, const uint8_t *data, const uint8_t *prog_bits)
{
    if (!hf.open || offset % FLASH_PROGRAM_UNIT != 0 || len % FLASH_PROGRAM_UNIT != 0 ||
        offset > FLASH_SIZE || len > FLASH_SIZE - offset) {
        return PLAT_FLASH_E_RANGE;
    }
    memcpy(hf.data + offset, data, len);
    for (uint32_t u = 0; u < len / FLASH_PROGRAM_UNIT; u++) {
        set_unit_bit(offset / FLASH_PROGRAM_UNIT + u, (prog_bits[u / 8] >> (u % 8)) & 1u);
    }
    return persist(offset, len);
}
