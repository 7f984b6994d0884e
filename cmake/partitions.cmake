# Secure partitions and the manifest tool (tools/smgen/smgen.py).
#
# sm_partition(MANIFEST <file.json> SOURCES <...>)
#     Declares partition <stem> (the manifest's file name): library sm_part_<stem>. A static
#     library on the board (the SM's linker script places it by archive name in the
#     partition's own MPU regions), an object library on the host.
# sm_manifest_headers()
#     After every sm_partition: psa_manifest/*.h for the whole build (in SM_GEN_INCLUDE).
# sm_manifest_tables(<out_dir_var> <image> ARCH <armv8m|host> PARTITIONS <stem...>)
#     The static tables (and, for armv8m, linker script fragments) of one SM image.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(SM_SMGEN ${CMAKE_SOURCE_DIR}/tools/smgen/smgen.py)
set(SM_GEN_INCLUDE ${CMAKE_BINARY_DIR}/gen/include)
set(SM_INTERFACE_INCLUDE ${CMAKE_SOURCE_DIR}/interface/include)

function(sm_partition)
  cmake_parse_arguments(A "" "MANIFEST" "SOURCES" ${ARGN})
  get_filename_component(manifest ${A_MANIFEST} ABSOLUTE)
  get_filename_component(stem ${manifest} NAME_WE)
  if(SM_PLATFORM STREQUAL "host")
    add_library(sm_part_${stem} OBJECT ${A_SOURCES})
  else()
    add_library(sm_part_${stem} STATIC ${A_SOURCES})
  endif()
  target_include_directories(sm_part_${stem} PRIVATE ${SM_GEN_INCLUDE} ${SM_INTERFACE_INCLUDE}
                                                     ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(sm_part_${stem} PRIVATE sm_warnings)
  add_dependencies(sm_part_${stem} sm_manifest_headers)
  set_property(GLOBAL APPEND PROPERTY SM_PARTITION_ARGS "sm_part_${stem}=${manifest}")
  set_property(GLOBAL APPEND PROPERTY SM_PARTITION_MANIFESTS "${manifest}")
  set_property(GLOBAL APPEND PROPERTY SM_PARTITION_STEMS "${stem}")
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
  cmake_parse_arguments(A "" "ARCH" "PARTITIONS" ${ARGN})
  get_property(args GLOBAL PROPERTY SM_PARTITION_ARGS)
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
