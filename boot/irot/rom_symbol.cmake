# rom_symbol.cmake -DNM=<nm> -DELF=<irot.elf> -DOUT=<file>: writes the linker script that gives
# the uRoT the address of the iRoT's bl_rom_api (bl_rom.h).
execute_process(COMMAND ${NM} ${ELF} OUTPUT_VARIABLE syms RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm ${ELF} failed")
endif()
string(REGEX MATCH "([0-9a-fA-F]+) [A-Za-z] bl_rom_api\n" m "${syms}")
if(NOT m)
  message(FATAL_ERROR "no bl_rom_api in ${ELF}")
endif()
file(WRITE ${OUT} "/* Generated from ${ELF}: the iRoT's crypto table (boot/common/bl_rom.h). */\n"
                  "bl_rom_api = 0x${CMAKE_MATCH_1};\n")
