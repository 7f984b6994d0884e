# Secure partitions and the manifest tool (tools/smgen/smgen.py).
#
# sm_partition(MANIFEST <file.json> SOURCES <...> [LIBS <static library targets>] [LTO]
#              [EXPORTS <symbols>])
#     Declares partition <stem> (the manifest's file name): library sm_part_<stem>. A static
#     library on the board (the SM's linker script places it by archive name in the
#     partition's own MPU regions), an object library on the host.
#     LIBS are libraries the partition alone uses (e.g. its own Mbed TLS). On the board they
#     become part of the partition: its objects and the library members they need are linked
#     into one relocatable unit that exports only the entry point and first-level handlers,
#     so their code and data land in the partition's own regions and clash with nothing
#     else in the image. On the host they are simply linked. LTO (board): the unit is
#     optimised as a whole at link time (sm_partition_link_unit). EXPORTS (board): functions
#     the unit exports besides (what the image's shared code calls back, docs/design/
#     footprint.md); they still run only as the partition, in its code region.
# sm_manifest_headers()
#     After every sm_partition: psa_manifest/*.h for the whole build (in SM_GEN_INCLUDE).
# sm_manifest_tables(<out_dir_var> <image> ARCH <armv8m|host> PARTITIONS <stem...>)
#     The static tables (and, for armv8m, linker script fragments) of one SM image.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(SM_SMGEN ${CMAKE_SOURCE_DIR}/tools/smgen/smgen.py)
set(SM_GEN_INCLUDE ${CMAKE_BINARY_DIR}/gen/include)
set(SM_INTERFACE_INCLUDE ${CMAKE_SOURCE_DIR}/interface/include)

function(sm_partition)
  cmake_parse_arguments(A "LTO" "MANIFEST" "SOURCES;LIBS;EXPORTS" ${ARGN})
  get_filename_component(manifest ${A_MANIFEST} ABSOLUTE)
  get_filename_component(stem ${manifest} NAME_WE)
  if(SM_PLATFORM STREQUAL "host")
    add_library(sm_part_${stem} OBJECT ${A_SOURCES})
    if(A_LIBS)
      sm_partition_link_unit(${stem} ${manifest} ${A_LIBS})
    endif()
  else()
    add_library(sm_part_${stem} STATIC ${A_SOURCES})
    if(A_LIBS)
      # The product profile optimises every partition's unit so (docs/design/footprint.md).
      set(SM_UNIT_LTO ${A_LTO})
      if(SM_PROFILE STREQUAL "product")
        set(SM_UNIT_LTO ON)
      endif()
      set(SM_UNIT_EXPORTS ${A_EXPORTS})
      sm_partition_link_unit(${stem} ${manifest} ${A_LIBS})
    endif()
  endif()
  target_include_directories(sm_part_${stem} PRIVATE ${SM_GEN_INCLUDE} ${SM_INTERFACE_INCLUDE}
                                                     ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(sm_part_${stem} PRIVATE sm_warnings)
  add_dependencies(sm_part_${stem} sm_manifest_headers)
  set_property(GLOBAL APPEND PROPERTY SM_PARTITION_ARGS "sm_part_${stem}=${manifest}")
  set_property(GLOBAL APPEND PROPERTY SM_PARTITION_MANIFESTS "${manifest}")
  set_property(GLOBAL APPEND PROPERTY SM_PARTITION_STEMS "${stem}")
endfunction()

# The partition link unit (see sm_partition): compiled against the libraries' headers only,
# then linked with them into one object that exports only the manifest's entry points. On the
# board it replaces the partition's archive (which the SM's linker script places by name); on
# the host it is the object sm_host_library links (SM_PARTITION_UNIT_<stem>).
function(sm_partition_link_unit stem manifest)
  set(target sm_part_${stem})
  set(libs ${ARGN})
  foreach(lib ${libs})
    target_include_directories(${target} SYSTEM PRIVATE
                               $<TARGET_PROPERTY:${lib},INTERFACE_INCLUDE_DIRECTORIES>)
    target_compile_definitions(${target} PRIVATE
                               $<TARGET_PROPERTY:${lib},INTERFACE_COMPILE_DEFINITIONS>)
    list(APPEND lib_files $<TARGET_FILE:${lib}>)
  endforeach()
  add_dependencies(${target} ${libs})
  # Code a library shares with others (its SM_SHARED_MBEDTLS property, cmake/mbedtls.cmake)
  # stays out of the unit: the SM image links it once, in the shared code region.
  foreach(lib ${libs})
    get_target_property(shared ${lib} SM_SHARED_MBEDTLS)
    if(shared)
      target_link_libraries(${target} INTERFACE ${shared})
    endif()
  endforeach()
  file(READ ${manifest} json)
  string(JSON entry GET "${json}" entry_point)
  set(keep --keep-global-symbol=${entry})
  foreach(e ${SM_UNIT_EXPORTS})
    list(APPEND keep --keep-global-symbol=${e})
  endforeach()
  string(JSON nirq ERROR_VARIABLE no_irqs LENGTH "${json}" irqs)
  if(NOT no_irqs AND nirq GREATER 0)
    math(EXPR last "${nirq} - 1")
    foreach(i RANGE ${last})
      string(JSON handling ERROR_VARIABLE none GET "${json}" irqs ${i} handling)
      if(handling STREQUAL "FLIH")
        string(JSON name GET "${json}" irqs ${i} name)
        string(TOLOWER ${name} name)
        list(APPEND keep --keep-global-symbol=${name}_flih)
      endif()
    endforeach()
  endif()
  set(unit ${CMAKE_CURRENT_BINARY_DIR}/${target}_unit.o)
  if(SM_PLATFORM STREQUAL "host")
    add_custom_command(OUTPUT ${unit}
      COMMAND ${CMAKE_LINKER} -r -o ${unit} $<TARGET_OBJECTS:${target}> --start-group ${lib_files}
              --end-group
      COMMAND ${CMAKE_OBJCOPY} ${keep} ${unit}
      DEPENDS ${target} $<TARGET_OBJECTS:${target}> ${libs}
      COMMENT "Partition ${stem}: one link unit exporting only ${entry} and its handlers"
      COMMAND_EXPAND_LISTS VERBATIM)
    add_custom_target(${target}_unit DEPENDS ${unit})
    set_property(GLOBAL PROPERTY SM_PARTITION_UNIT_${stem} ${unit})
    return()
  endif()
  # The unit must be made again when a library changes, not only the partition's own code.
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${lib_files})
  set(lto)
  if(SM_UNIT_LTO)
    # Optimised as one program at link time: the partition and its libraries are compiled to
    # GCC's intermediate form, and the unit's code is generated from all of it at once as a
    # whole program whose only entries are the ones it exports (each kept by --undefined), so
    # what no entry reaches is dropped and the rest is inlined across modules. A relocatable
    # link would have GCC keep every global (the output could be linked with anything), hence
    # -flinker-output=exec: the unit is still relocatable, its code generated as a program's
    # (docs/design/footprint.md).
    # -fconserve-stack: inlining across modules otherwise deepened the crypto partition's stack
    # peak by 416 bytes (to 2,208); with it the peak is 1,616, below the 1,792 without LTO.
    target_compile_options(${target} PRIVATE -flto -fconserve-stack)
    foreach(lib ${libs})
      target_compile_options(${lib} PRIVATE -flto -fconserve-stack)
    endforeach()
    set(lto -flto -flto-partition=one -flinker-output=exec -fwhole-program -Os
            -ffunction-sections -fdata-sections)
    foreach(k ${keep})
      string(REPLACE "--keep-global-symbol=" "-Wl,--undefined=" u "${k}")
      list(APPEND lto ${u})
    endforeach()
  endif()
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_C_COMPILER} -mcpu=cortex-m33 -mthumb -nostdlib -r ${lto} -o ${unit}
            -Wl,--whole-archive $<TARGET_FILE:${target}> -Wl,--no-whole-archive ${lib_files}
    COMMAND ${CMAKE_OBJCOPY} ${keep} ${unit}
    COMMAND ${CMAKE_COMMAND} -E remove $<TARGET_FILE:${target}>
    COMMAND ${CMAKE_AR} rcs $<TARGET_FILE:${target}> ${unit}
    COMMENT "Partition ${stem}: one link unit exporting only ${entry} and its handlers"
    VERBATIM)
endfunction()

# sm_product_manifest(<out_var> <manifest.json> <stack_size>): the manifest a partition is built
# from: in the product profile a copy with that stack size (its measured peak and a quarter
# spare, tests/product/stack_peaks.sh; docs/design/footprint.md), written into the build under the
# same file name (so the same partition), else the manifest itself.
function(sm_product_manifest out_var manifest stack_size)
  if(NOT SM_PROFILE STREQUAL "product")
    set(${out_var} ${manifest} PARENT_SCOPE)
    return()
  endif()
  get_filename_component(name ${manifest} NAME)
  file(READ ${manifest} json)
  string(JSON json SET "${json}" stack_size "\"${stack_size}\"")
  set(out ${CMAKE_CURRENT_BINARY_DIR}/product/${name})
  file(CONFIGURE OUTPUT ${out} CONTENT "${json}\n" @ONLY)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${manifest})
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()

function(sm_manifest_headers)
  get_property(args GLOBAL PROPERTY SM_PARTITION_ARGS)
  get_property(manifests GLOBAL PROPERTY SM_PARTITION_MANIFESTS)
  get_property(stems GLOBAL PROPERTY SM_PARTITION_STEMS)
  set(outs ${SM_GEN_INCLUDE}/psa_manifest/sid.h ${SM_GEN_INCLUDE}/psa_manifest/pid.h)
  foreach(stem ${stems})
    list(APPEND outs ${SM_GEN_INCLUDE}/psa_manifest/${stem}.h)
  endforeach()
  add_custom_command(OUTPUT ${outs}
    COMMAND ${Python3_EXECUTABLE} ${SM_SMGEN} --headers ${SM_GEN_INCLUDE} ${args}
    DEPENDS ${SM_SMGEN} ${manifests}
    COMMENT "smgen: partition headers")
  add_custom_target(sm_manifest_headers DEPENDS ${outs})
endfunction()

function(sm_manifest_tables out_var image)
  cmake_parse_arguments(A "" "ARCH;MODULE_SLOTS" "PARTITIONS" ${ARGN})
  get_property(args GLOBAL PROPERTY SM_PARTITION_ARGS)
  if(NOT "${A_MODULE_SLOTS}" STREQUAL "")
    list(PREPEND args --module-slots ${A_MODULE_SLOTS})
  endif()
  get_property(manifests GLOBAL PROPERTY SM_PARTITION_MANIFESTS)
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/gen_${image})
  set(outs ${dir}/sm_manifest.c)
  if(A_ARCH STREQUAL "armv8m")
    list(APPEND outs ${dir}/sm_partitions_code.ld.inc ${dir}/sm_partitions_ram.ld.inc)
  endif()
  string(REPLACE ";" "," image_list "${A_PARTITIONS}")
  add_custom_command(OUTPUT ${outs}
    COMMAND ${Python3_EXECUTABLE} ${SM_SMGEN} --arch ${A_ARCH} --tables ${dir}
            "--image=${image_list}" ${args}
    DEPENDS ${SM_SMGEN} ${manifests}
    COMMENT "smgen: tables of ${image}")
  set(${out_var} ${dir} PARENT_SCOPE)
endfunction()
