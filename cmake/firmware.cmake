# sm_firmware_image(<name> [NS] LINKER_SCRIPT <file.ld.S> SOURCES <...> [LIBS <...>]
#                   [LD_INCLUDE <dir> LD_DEPENDS <generated files>] [LD_DEFINES <NAME=value...>]
#                   [PLATFORM <library>])
# NS images link the NS kit (SMAK) instead of the secure board support; PLATFORM replaces the
# secure board support library (sm_an505; the boot stages link their LTO build of it).
#
# Builds <name>.elf with the preprocessed linker script (which takes its addresses from
# flash_map.h and memory_map.h), then <name>.bin (raw, for programming) and <name>.map.
function(sm_firmware_image name)
  cmake_parse_arguments(A "NS" "LINKER_SCRIPT;LD_INCLUDE;PLATFORM" "SOURCES;LIBS;LD_DEPENDS;LD_DEFINES"
                        ${ARGN})
  if(NOT A_PLATFORM)
    set(A_PLATFORM sm_an505)
  endif()
  set(ld_inc)
  if(A_LD_INCLUDE)
    set(ld_inc -I${A_LD_INCLUDE})
  endif()
  foreach(d ${A_LD_DEFINES})
    list(APPEND ld_inc -D${d})
  endforeach()
  set(ld "${CMAKE_CURRENT_BINARY_DIR}/${name}.ld")
  add_custom_command(
    OUTPUT "${ld}"
    COMMAND ${CMAKE_C_COMPILER} -E -P -x c -I${SM_MAP_INCLUDE}
            -I${CMAKE_SOURCE_DIR}/platform/an505/ld ${ld_inc} "${A_LINKER_SCRIPT}" -o "${ld}"
    DEPENDS "${A_LINKER_SCRIPT}" "${SM_MAP_INCLUDE}/flash_map.h" "${SM_MAP_INCLUDE}/memory_map.h"
            ${A_LD_DEPENDS}
            "${CMAKE_SOURCE_DIR}/platform/an505/ld/image.ld.inc"
    COMMENT "Preprocessing linker script for ${name}")
  add_custom_target(${name}_ld DEPENDS "${ld}")
  add_executable(${name} ${A_SOURCES})
  add_dependencies(${name} ${name}_ld)
  set_target_properties(${name} PROPERTIES SUFFIX ".elf" LINK_DEPENDS "${ld}")
  target_link_options(${name} PRIVATE "-T${ld}" "-Wl,-Map=${CMAKE_CURRENT_BINARY_DIR}/${name}.map")
  if(A_NS)
    # NS applications call the SM through its veneers (import library made by the SM link).
    target_link_libraries(${name} PRIVATE ${A_LIBS} sm_smak sm_warnings ${SM_VENEERS})
    add_dependencies(${name} sm)
  else()
    target_link_libraries(${name} PRIVATE ${A_LIBS} ${A_PLATFORM} sm_warnings)
  endif()
  add_custom_command(TARGET ${name} POST_BUILD
    COMMAND ${CMAKE_OBJCOPY} -O binary $<TARGET_FILE:${name}> "${CMAKE_CURRENT_BINARY_DIR}/${name}.bin")
  set_property(GLOBAL APPEND PROPERTY SM_FIRMWARE_IMAGES "${name}")
endfunction()
