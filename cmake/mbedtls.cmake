# Mbed TLS 3.6 built from its source tree, one library per configuration:
#   sm_mbedcrypto          host only: the library's default configuration (what smtool and the
#                          host tests need: keys, PEM, ECDSA, ECDH, HKDF, AES, an entropy source)
#                          (config/mbedtls/host_config.h)
#   sm_mbedcrypto_boot     the boot stages (and the SM core): SHA-256, AES, HMAC, HKDF
#   sm_mbedcrypto_its      the ITS partition's own copy (board)
#   sm_mbedcrypto_service  the crypto partition's PSA core (board and host)
#   sm_crypto_client_headers  what crypto clients compile with (no code)
#   sm_mbedcrypto_shared   product profile, board: the primitives (SHA-256, AES, GCM, CCM),
#                          one copy in the SM image's shared code for the core, ITS and crypto
# SM_PROFILE (CMakeLists.txt) picks the configurations: full (config/mbedtls/*.h, every
# algorithm) or product (config/mbedtls/product/*.h; docs/design/footprint.md).
if(NOT EXISTS "${MBEDTLS_DIR}/include/mbedtls/build_info.h")
  message(FATAL_ERROR "No Mbed TLS tree at MBEDTLS_DIR=${MBEDTLS_DIR}: run `make deps` "
                      "(or pass MBEDTLS_SRC=/path/to/mbedtls-3.6.x to make)")
endif()
file(STRINGS "${MBEDTLS_DIR}/include/mbedtls/build_info.h" _mbedtls_version
     REGEX "^#define MBEDTLS_VERSION_STRING +\"")
if(NOT _mbedtls_version MATCHES "\"3\\.6\\.[0-9]+\"")
  message(FATAL_ERROR "Mbed TLS at ${MBEDTLS_DIR} is not 3.6.x (${_mbedtls_version})")
endif()

# The profile (SM_PROFILE, CMakeLists.txt): where the crypto service's and its clients'
# configurations come from.
if(SM_PROFILE STREQUAL "product")
  set(SM_MBEDTLS_CONFIG_DIR "${CMAKE_SOURCE_DIR}/config/mbedtls/product")
else()
  set(SM_MBEDTLS_CONFIG_DIR "${CMAKE_SOURCE_DIR}/config/mbedtls")
endif()
set(SM_PSA_WANT "${SM_MBEDTLS_CONFIG_DIR}/psa_want.h")

file(GLOB _mbedtls_sources "${MBEDTLS_DIR}/library/*.c")
# The crypto library only: no TLS, X.509, networking or debug modules.
list(FILTER _mbedtls_sources EXCLUDE REGEX "/(ssl_|x509|debug\\.c|net_sockets\\.c|mps_|pkcs7\\.c)")

if(SM_PLATFORM STREQUAL "host")
  add_library(sm_mbedcrypto STATIC ${_mbedtls_sources})
  target_include_directories(sm_mbedcrypto SYSTEM PUBLIC "${MBEDTLS_DIR}/include")
  target_include_directories(sm_mbedcrypto PRIVATE "${MBEDTLS_DIR}/library")
  target_compile_definitions(sm_mbedcrypto PUBLIC
      "MBEDTLS_CONFIG_FILE=\"${CMAKE_SOURCE_DIR}/config/mbedtls/host_config.h\"")
  set_target_properties(sm_mbedcrypto PROPERTIES C_EXTENSIONS ON)
endif()

# sm_mbedtls_subset(<name> <config file> <Mbed TLS modules...>): a small Mbed TLS of these
# library/*.c modules, whose memory comes from the static slots of boot/common/bl_pool.c.
function(sm_mbedtls_subset name config)
  set(sources "${CMAKE_SOURCE_DIR}/boot/common/bl_pool.c")
  foreach(module ${ARGN})
    list(APPEND sources "${MBEDTLS_DIR}/library/${module}.c")
  endforeach()
  add_library(${name} STATIC ${sources})
  target_include_directories(${name} PRIVATE "${CMAKE_SOURCE_DIR}/boot/common"
                             "${MBEDTLS_DIR}/library")
  target_include_directories(${name} SYSTEM PUBLIC "${MBEDTLS_DIR}/include")
  target_compile_definitions(${name} PUBLIC
      "MBEDTLS_CONFIG_FILE=\"${CMAKE_SOURCE_DIR}/config/mbedtls/${config}\"")
endfunction()

# The boot stages' Mbed TLS: SHA-256, AES, HMAC and HKDF only (config/mbedtls/boot_config.h).
# On the host the full library provides the same functions, so host tests run the same calls.
# The ITS partition's own Mbed TLS on the board (config/mbedtls/its_config.h) adds GCM: it is
# linked into the partition's link unit only (sm_partition LIBS).
#
# The product profile on the board shares one copy of the primitives (SM_SHARED_MBEDTLS_MODULES,
# config/mbedtls/product/primitives.h) between the core, ITS and the crypto service: code
# without data, placed in the code every partition may execute (platform/an505/ld/sm.ld.S), so
# each user keeps its contexts, its allocator and the rest of its Mbed TLS in its own memory.
# A library that stands on it names it in its SM_SHARED_MBEDTLS property, which sm_partition
# (cmake/partitions.cmake) turns into a dependency of the SM image, not of the partition's
# link unit. shared_layout.c, compiled into each user, checks that every configuration gives the
# shared contexts the one layout.
set(SM_SHARED_MBEDTLS_MODULES aes sha256 gcm ccm block_cipher constant_time)
# HMAC and HKDF (md.c, hkdf.c), shared by the core and ITS only: they allocate, and the shared
# copy reaches the allocator of those two (config/mbedtls/product/shared_md_alloc.c); the crypto
# partition's entropy accumulator keeps the md.c of its own Mbed TLS.
set(SM_SHARED_MD_MODULES md hkdf)
set(_p256m_3rdparty "${MBEDTLS_DIR}/3rdparty/p256-m")
# p256-m's public names, and what its copies of the SM image call them (core/CMakeLists.txt;
# in the product profile on the board, the one shared copy below).
set(SM_P256M_NAMES p256_gen_keypair p256_ecdh_shared_secret p256_ecdsa_sign p256_ecdsa_verify
    p256_generate_random p256_public_from_private p256_validate_privkey p256_validate_pubkey)
set(SM_P256M_RENAMES)
foreach(_n ${SM_P256M_NAMES})
  list(APPEND SM_P256M_RENAMES ${_n}=sm_p256m_${_n})
endforeach()
if(SM_PLATFORM STREQUAL "host")
  set(SM_BOOT_MBEDTLS sm_mbedcrypto)
  set(SM_ITS_MBEDTLS sm_mbedcrypto)
else()
  set(SM_BOOT_MBEDTLS_MODULES sha256 aes md hkdf platform_util platform constant_time)
  if(SM_PROFILE STREQUAL "product")
    add_library(sm_mbedcrypto_shared STATIC
                "${CMAKE_SOURCE_DIR}/config/mbedtls/product/shared_layout.c"
                "${CMAKE_SOURCE_DIR}/config/mbedtls/product/shared_zeroize.c"
                "${CMAKE_SOURCE_DIR}/config/mbedtls/product/shared_md_alloc.c")
    foreach(module ${SM_SHARED_MBEDTLS_MODULES} ${SM_SHARED_MD_MODULES})
      target_sources(sm_mbedcrypto_shared PRIVATE "${MBEDTLS_DIR}/library/${module}.c")
    endforeach()
    target_include_directories(sm_mbedcrypto_shared PRIVATE "${MBEDTLS_DIR}/library")
    target_include_directories(sm_mbedcrypto_shared SYSTEM PUBLIC "${MBEDTLS_DIR}/include")
    # md.c frees HMAC's pads with platform_util.c's mbedtls_zeroize_and_free, which stays each
    # user's (it frees through the user's allocator): the shared copy's is shared_md_alloc.c's.
    target_compile_definitions(sm_mbedcrypto_shared PRIVATE SM_LAYOUT_USER=shared SM_LAYOUT_MD
        mbedtls_zeroize_and_free=sm_shared_zeroize_and_free
        "MBEDTLS_CONFIG_FILE=\"${CMAKE_SOURCE_DIR}/config/mbedtls/product/shared_config.h\"")
    # p256-m, shared too: the core's (attestation) and the crypto partition's (its PSA driver
    # for P-256) were one copy each. Its public names are prefixed (sm_p256m_*, SM_P256M_NAMES)
    # for every user, so that it meets the boot stages' copy nowhere, and its randomness is
    # the caller's (product/shared_p256m_random.c: the core's source for the core, the crypto
    # partition's generator for it); like the rest of the shared code it has no data.
    # The core's update service verifies downloads with the boot core (bl_boot_verify_slot),
    # which calls this copy too (sm_p256m below).
    add_library(sm_p256m_shared OBJECT "${_p256m_3rdparty}/p256-m/p256-m.c"
                "${CMAKE_SOURCE_DIR}/config/mbedtls/product/shared_p256m_random.c")
    target_include_directories(sm_p256m_shared PRIVATE "${MBEDTLS_DIR}/library")
    target_include_directories(sm_p256m_shared SYSTEM PRIVATE "${MBEDTLS_DIR}/include"
                               "${_p256m_3rdparty}/p256-m")
    target_compile_definitions(sm_p256m_shared PRIVATE ${SM_P256M_RENAMES}
        MBEDTLS_PSA_P256M_DRIVER_ENABLED psa_generate_random=sm_p256m_random
        "MBEDTLS_CONFIG_FILE=\"${CMAKE_SOURCE_DIR}/config/mbedtls/product/shared_config.h\"")
    target_sources(sm_mbedcrypto_shared PRIVATE $<TARGET_OBJECTS:sm_p256m_shared>)
    # md.c and hkdf.c are shared too (SM_SHARED_MD_MODULES): each user keeps platform_util.c and
    # its pool (bl_pool.c), which the shared md.c reaches through shared_md_alloc.c.
    sm_mbedtls_subset(sm_mbedcrypto_boot product/sm_config.h platform platform_util)
    sm_mbedtls_subset(sm_mbedcrypto_its product/sm_config.h platform platform_util)
    foreach(user boot its)
      target_sources(sm_mbedcrypto_${user} PRIVATE
                     "${CMAKE_SOURCE_DIR}/config/mbedtls/product/shared_layout.c")
      target_compile_definitions(sm_mbedcrypto_${user} PRIVATE SM_LAYOUT_USER=${user} SM_LAYOUT_MD)
      set_target_properties(sm_mbedcrypto_${user} PROPERTIES SM_SHARED_MBEDTLS sm_mbedcrypto_shared)
    endforeach()
    # The core links its own part directly: the shared copy comes with it, and the shared md.c's
    # allocation for the core (shared_md_alloc.c) is the core's pool, in its part (a cycle the
    # link resolves by naming the core's part again after the shared copy).
    target_link_libraries(sm_mbedcrypto_boot PUBLIC sm_mbedcrypto_shared)
    target_link_libraries(sm_mbedcrypto_shared INTERFACE sm_mbedcrypto_boot)
  else()
    sm_mbedtls_subset(sm_mbedcrypto_boot boot_config.h ${SM_BOOT_MBEDTLS_MODULES})
    sm_mbedtls_subset(sm_mbedcrypto_its its_config.h ${SM_BOOT_MBEDTLS_MODULES} gcm block_cipher)
  endif()
  set(SM_BOOT_MBEDTLS sm_mbedcrypto_boot)
  set(SM_ITS_MBEDTLS sm_mbedcrypto_its)
endif()

# The crypto partition's Mbed TLS: the PSA Crypto core with every algorithm of psa_want.h
# (config/mbedtls/crypto_service_config.h), the same on the board and the host. Linked only
# into the partition's link unit (sm_partition LIBS), so it meets no other copy.
# In the product profile p256-m is its PSA driver for P-256 (in place of ECP and bignum), and on
# the board the shared primitives are not part of it.
set(_service_sources ${_mbedtls_sources})
if(SM_PROFILE STREQUAL "product")
  list(APPEND _service_sources "${_p256m_3rdparty}/p256-m_driver_entrypoints.c")
  if(SM_PLATFORM STREQUAL "host")
    # No sharing on the host: the primitives, p256-m and the zeroize are the library's own.
    list(APPEND _service_sources "${_p256m_3rdparty}/p256-m/p256-m.c"
         "${CMAKE_SOURCE_DIR}/config/mbedtls/product/shared_zeroize.c")
  else()
    foreach(module ${SM_SHARED_MBEDTLS_MODULES})
      list(REMOVE_ITEM _service_sources "${MBEDTLS_DIR}/library/${module}.c")
    endforeach()
    list(APPEND _service_sources "${CMAKE_SOURCE_DIR}/config/mbedtls/product/shared_layout.c")
  endif()
endif()
add_library(sm_mbedcrypto_service STATIC ${_service_sources})
target_include_directories(sm_mbedcrypto_service SYSTEM PUBLIC "${MBEDTLS_DIR}/include"
                           "${SM_MBEDTLS_CONFIG_DIR}")
# psa/error.h and psa/internal_trusted_storage.h: persistent keys go to the SM's ITS.
target_include_directories(sm_mbedcrypto_service PRIVATE "${MBEDTLS_DIR}/library"
                           "${CMAKE_SOURCE_DIR}/interface/include" "${_p256m_3rdparty}"
                           "${_p256m_3rdparty}/p256-m")
target_compile_definitions(sm_mbedcrypto_service PUBLIC
    "MBEDTLS_CONFIG_FILE=\"${SM_MBEDTLS_CONFIG_DIR}/crypto_service_config.h\"")
set_target_properties(sm_mbedcrypto_service PROPERTIES C_EXTENSIONS ON)
if(SM_PROFILE STREQUAL "product" AND NOT SM_PLATFORM STREQUAL "host")
  # The driver calls the shared p256-m by its names.
  target_compile_definitions(sm_mbedcrypto_service PRIVATE SM_LAYOUT_USER=crypto ${SM_P256M_RENAMES})
  set_target_properties(sm_mbedcrypto_service PROPERTIES SM_SHARED_MBEDTLS sm_mbedcrypto_shared)
endif()
if(SM_PLATFORM STREQUAL "host")
  # Its buffer allocator (the partition's arena) aligns blocks to MBEDTLS_MEMORY_ALIGN_MULTIPLE,
  # 4 by default: enough on the 32-bit board, but on a 64-bit host its own block headers and
  # the structures it hands out hold 8-byte pointers and integers (UBSan: misaligned access,
  # found by tests/fuzz/fuzz_sm_calls.c). The board keeps 4.
  target_compile_definitions(sm_mbedcrypto_service PUBLIC MBEDTLS_MEMORY_ALIGN_MULTIPLE=8)
endif()

# Host only: the same Mbed TLS with nothing between it and its caller (tests/crypto/
# direct_config.h), the reference the service's answers are compared with (tests/crypto).
if(SM_PLATFORM STREQUAL "host")
  add_library(sm_mbedcrypto_direct STATIC EXCLUDE_FROM_ALL ${_service_sources})
  target_include_directories(sm_mbedcrypto_direct SYSTEM PUBLIC "${MBEDTLS_DIR}/include"
                             "${SM_MBEDTLS_CONFIG_DIR}")
  target_include_directories(sm_mbedcrypto_direct PRIVATE "${MBEDTLS_DIR}/library"
                             "${_p256m_3rdparty}" "${_p256m_3rdparty}/p256-m")
  target_compile_definitions(sm_mbedcrypto_direct PUBLIC
      "MBEDTLS_CONFIG_FILE=\"${CMAKE_SOURCE_DIR}/tests/crypto/direct_config.h\"")
  set_target_properties(sm_mbedcrypto_direct PROPERTIES C_EXTENSIONS ON)
endif()

# What a crypto client compiles with: Mbed TLS's headers in client-only mode, no code.
add_library(sm_crypto_client_headers INTERFACE)
target_include_directories(sm_crypto_client_headers SYSTEM INTERFACE "${MBEDTLS_DIR}/include"
                           "${SM_MBEDTLS_CONFIG_DIR}")
target_compile_definitions(sm_crypto_client_headers INTERFACE
    "MBEDTLS_CONFIG_FILE=\"${CMAKE_SOURCE_DIR}/config/mbedtls/crypto_client_config.h\""
    "MBEDTLS_PSA_CRYPTO_CONFIG_FILE=\"${SM_PSA_WANT}\"")

# p256-m: small constant-time P-256 (ECDSA verify, ECDH) used directly by the boot stages,
# compiled inside boot/common/bl_p256.c, which adds the boot stages' fast ECDSA verify built from
# p256-m's own (static) primitives. Its source is compiled only when
# MBEDTLS_PSA_P256M_DRIVER_ENABLED is set; we set it for this file alone and call its p256_*
# functions ourselves. sm_p256m_library(<name> <Mbed TLS library>): one build of it.
set(_p256m_dir "${MBEDTLS_DIR}/3rdparty/p256-m/p256-m")
function(sm_p256m_library name mbedtls)
  add_library(${name} STATIC "${CMAKE_SOURCE_DIR}/boot/common/bl_p256.c")
  # p256-m.c is found in a system include directory: its own code is compiled without our
  # warnings, the code of bl_p256.c with them.
  target_include_directories(${name} SYSTEM PUBLIC "${_p256m_dir}")
  target_include_directories(${name} PUBLIC "${CMAKE_SOURCE_DIR}/boot/common")
  target_compile_definitions(${name} PRIVATE MBEDTLS_PSA_P256M_DRIVER_ENABLED)
  target_link_libraries(${name} PRIVATE sm_warnings)
  # Signature checks dominate boot time; p256-m is small, so it is built for speed: -O2, with
  # its fixed 8-limb loops unrolled (-fpeel-loops) but its small helpers kept out of line,
  # which measured both faster and smaller than plain -O2 (docs/design/boot-speed.md).
  target_compile_options(${name} PRIVATE -O2)
  if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${name} PRIVATE -fpeel-loops -fno-inline-small-functions
                           -fno-tree-loop-distribute-patterns)
  endif()
  if(SM_FUZZ)
    # Not sanitized in the fuzzing build: its arithmetic was 96% of the boot harness's time
    # under ASan (docs/design/fuzzing.md). Its buffers are the callers', which are sanitized.
    # (fuzz_p256_verify builds bl_p256.c sanitized, into the harness itself.)
    target_compile_options(${name} PRIVATE -fno-sanitize=all)
  endif()
  target_link_libraries(${name} PUBLIC ${mbedtls})
endfunction()
if(SM_PROFILE STREQUAL "product" AND NOT SM_PLATFORM STREQUAL "host")
  # The product SM image has one p256-m, the shared one (above), for the core (attestation
  # signatures, and the boot core's signature check and key transport for the update service)
  # and the crypto partition. The boot core calls it by its prefixed names (SM_P256M_RENAMES);
  # its bl_p256_verify is p256-m's own constant-time verify here (shared_p256m_user.c), not the
  # boot stages' fast one, whose 1 KB frame the core's handler-mode stack cannot spare.
  add_library(sm_p256m STATIC "${CMAKE_SOURCE_DIR}/config/mbedtls/product/shared_p256m_user.c")
  target_compile_definitions(sm_p256m PUBLIC ${SM_P256M_RENAMES})
  target_include_directories(sm_p256m SYSTEM PUBLIC "${_p256m_dir}")
  target_include_directories(sm_p256m PUBLIC "${CMAKE_SOURCE_DIR}/boot/common")
  target_link_libraries(sm_p256m PUBLIC ${SM_BOOT_MBEDTLS} sm_mbedcrypto_shared PRIVATE sm_warnings)
else()
  sm_p256m_library(sm_p256m ${SM_BOOT_MBEDTLS})
endif()
