/*
 * image.ld.h: the section layout shared by every secure image, preprocessed with cpp.
 *
 * The including linker script defines IMAGE_CODE_BASE/SIZE (where the vector table and code
 * execute), IMAGE_RAM_BASE/SIZE and IMAGE_STACK_SIZE, all taken from flash_map.h and
 * memory_map.h. Flash use = .text + .data load image; RAM use = .data + .bss + stack.
 */
MEMORY
{
    CODE (rx)  : ORIGIN = IMAGE_CODE_BASE, LENGTH = IMAGE_CODE_SIZE
    RAM  (rwx) : ORIGIN = IMAGE_RAM_BASE,  LENGTH = IMAGE_RAM_SIZE
}

ENTRY(Reset_Handler)

SECTIONS
{
    .text :
    {
        KEEP(*(.vectors))
        *(.text .text.*)
        *(.rodata .rodata.*)
        . = ALIGN(4);
    } > CODE

    .ARM.exidx :
    {
        *(.ARM.exidx* .gnu.linkonce.armexidx.*)
    } > CODE

    .data :
    {
        . = ALIGN(4);
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

}
