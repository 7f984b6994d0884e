/*
 * sm.ld.S: the Secure Manager image, executing in place after its 0x400-byte MCUboot header.
 * Preprocessed with the image's generated fragments on the include path (smgen).
 *
 * Isolation needs each partition's code and RAM in blocks of their own, 32-byte aligned (the
 * Armv8-M MPU granule), so partitions are placed by library (archive) name before the core's
 * catch-all sections. The secure gateway veneers come right after the vector table, so their
 * addresses (the NS import library) are the same in every SM image.
 */
#include "flash_map.h"
#include "memory_map.h"

#define IMAGE_CODE_BASE  (FLASH_BASE_S + FLASH_SM_PRIMARY_OFFSET + 0x400)
#define IMAGE_CODE_SIZE  (FLASH_SM_SLOT_SIZE - 0x400 - 0x2000)
/* The core's own stack (handler mode). The long works (an attestation signature, the update
 * service's verification of a download) run on the deferred work's stack instead
 * (sm_arch_armv8m.c). The product profile sets its measured size (core/CMakeLists.txt). */
#ifdef SM_CORE_STACK_SIZE
#define IMAGE_STACK_SIZE SM_CORE_STACK_SIZE
#else
#define IMAGE_STACK_SIZE 0x800
#endif

MEMORY
{
    CODE (rx)  : ORIGIN = IMAGE_CODE_BASE, LENGTH = IMAGE_CODE_SIZE
    RAM  (rwx) : ORIGIN = RAM_SM_BASE,     LENGTH = RAM_SM_SIZE
}

ENTRY(Reset_Handler)

SECTIONS
{
    .vectors :
    {
        KEEP(*(.vectors))
    } > CODE

    .gnu.sgstubs : ALIGN(32)
    {
        *(.gnu.sgstubs*)
        . = ALIGN(32);
    } > CODE
    __sg_start = ADDR(.gnu.sgstubs);
    __sg_end = ADDR(.gnu.sgstubs) + SIZEOF(.gnu.sgstubs);

    /* Code every partition may execute (MPU region 0): the PSA API stubs, the C library
     * routines and, in the product profile, the Mbed TLS primitives the core, ITS and the
     * crypto service share (cmake/mbedtls.cmake, docs/design/footprint.md); no data of anyone. */
    .sm_shared_code : ALIGN(32)
    {
        __sm_shared_code_start = .;
        *libsm_psa_api.a:*(.text .text.* .rodata .rodata.*)
        *libsm_mbedcrypto_shared.a:*(.text .text.* .rodata .rodata.*)
        *(.text.sm_idle)
        *libc_nano.a:*(.text .text.* .rodata .rodata.*)
        *libc.a:*(.text .text.* .rodata .rodata.*)
        *libgcc.a:*(.text .text.* .rodata .rodata.*)
        . = ALIGN(32);
        __sm_shared_code_end = .;
    } > CODE

#include "sm_partitions_code.ld.inc"

    .text : ALIGN(32)
    {
        *(.text .text.*)
        *(.rodata .rodata.*)
        . = ALIGN(4);
    } > CODE

    .ARM.exidx :
    {
        *(.ARM.exidx* .gnu.linkonce.armexidx.*)
    } > CODE

#include "sm_partitions_ram.ld.inc"

    /* The shared primitives have no data: each partition's would land in the core's RAM, which
     * no partition may reach. Anything here fails the link. */
    .sm_shared_nodata (NOLOAD) :
    {
        __sm_shared_nodata_start = .;
        *libsm_mbedcrypto_shared.a:*(.data .data.* .bss .bss.* COMMON)
        __sm_shared_nodata_end = .;
    } > RAM
    ASSERT(__sm_shared_nodata_end == __sm_shared_nodata_start,
           "sm.ld.S: the shared Mbed TLS primitives have data (config/mbedtls/product/primitives.h)")

    /* The core's own RAM: reachable only privileged (no MPU region covers it). */
    .data : ALIGN(32)
    {
        __data_start = .;
        *(.data .data.*)
        . = ALIGN(4);
        __data_end = .;
    } > RAM AT > CODE
    __data_load = LOADADDR(.data);

    .bss (NOLOAD) :
    {
        . = ALIGN(4);
        __bss_start = .;
        *(.bss .bss.*)
        *(COMMON)
        . = ALIGN(4);
        __bss_end = .;
    } > RAM

    .stack (NOLOAD) :
    {
        . = ALIGN(8);
        __stack_limit = .;
        . += IMAGE_STACK_SIZE;
        __stack_top = .;
    } > RAM

    /* The product SM's message formats (PLAT_LOG_IDS, plat_console.h): kept in the ELF for the
     * tools that print its records (the build writes them to sm.logids), not loaded. */
    .sm_fmt 0 (INFO) : { KEEP(*(.sm_fmt)) }
}
