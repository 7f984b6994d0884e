# Mbed TLS 3.6 built from its source tree, one library per configuration:
#   sm_mbedcrypto          host only: the library's default configuration (what smtool and the
#                          host tests need: keys, PEM, ECDSA, ECDH, HKDF, AES, an entropy source)
#                          (config/mbedtls/host_config.h)
#   sm_mbedcrypto_boot     the boot stages (and the SM core): SHA-256, AES, HMAC, HKDF
#   sm_mbedcrypto_its      the ITS partition's own copy (board)
#   sm_mbedcrypto_service  the crypto partition's PSA core (board and host)
#   sm_crypto_client_headers  what crypto clients compile with (no code)
if(NOT EXISTS "${MBEDTLS_DIR}/include/mbedtls/build_info.h")
  message(FATAL_ERROR "No Mbed TLS tree at MBEDTLS_DIR=${MBEDTLS_DIR}: run `make deps` "
                      "(or pass MBEDTLS_SRC=/path/to/mbedtls-3.6.x to make)")
endif()
file(STRINGS "${MBEDTLS_DIR}/include/mbedtls/build_info.h" _mbedtls_version
     REGEX "^#define MBEDTLS_VERSION_STRING +\"")
if(NOT _mbedtls_version MATCHES "\"3\\.6\\.[0-9]+\"")
  message(FATAL_ERROR "Mbed TLS at ${MBEDTLS_DIR} is not 3.6.x (${_mbedtls_version})")
endif()

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
if(SM_PLATFORM STREQUAL "host")
  set(SM_BOOT_MBEDTLS sm_mbedcrypto)
  set(SM_ITS_MBEDTLS sm_mbedcrypto)
else()
  set(SM_BOOT_MBEDTLS_MODULES sha256 aes md hkdf platform_util platform constant_time)
  sm_mbedtls_subset(sm_mbedcrypto_boot boot_config.h ${SM_BOOT_MBEDTLS_MODULES})
  sm_mbedtls_subset(sm_mbedcrypto_its its_config.h ${SM_BOOT_MBEDTLS_MODULES} gcm block_cipher)
  set(SM_BOOT_MBEDTLS sm_mbedcrypto_boot)
  set(SM_ITS_MBEDTLS sm_mbedcrypto_its)
endif()

# The crypto partition's Mbed TLS: the PSA Crypto core with every algorithm of psa_want.h
# (config/mbedtls/crypto_service_config.h), the same on the board and the host. Linked only
# into the partition's link unit (sm_partition LIBS), so it meets no other copy.
add_library(sm_mbedcrypto_service STATIC ${_mbedtls_sources})
target_include_directories(sm_mbedcrypto_service SYSTEM PUBLIC "${MBEDTLS_DIR}/include"
                           "${CMAKE_SOURCE_DIR}/config/mbedtls")
# psa/error.h and psa/internal_trusted_storage.h: persistent keys go to the SM's ITS.
target_include_directories(sm_mbedcrypto_service PRIVATE "${MBEDTLS_DIR}/library"
                           "${CMAKE_SOURCE_DIR}/interface/include")
target_compile_definitions(sm_mbedcrypto_service PUBLIC
    "MBEDTLS_CONFIG_FILE=\"${CMAKE_SOURCE_DIR}/config/mbedtls/crypto_service_config.h\"")
set_target_properties(sm_mbedcrypto_service PROPERTIES C_EXTENSIONS ON)
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
  add_library(sm_mbedcrypto_direct STATIC EXCLUDE_FROM_ALL ${_mbedtls_sources})
  target_include_directories(sm_mbedcrypto_direct SYSTEM PUBLIC "${MBEDTLS_DIR}/include"
                             "${CMAKE_SOURCE_DIR}/config/mbedtls")
  target_include_directories(sm_mbedcrypto_direct PRIVATE "${MBEDTLS_DIR}/library")
  target_compile_definitions(sm_mbedcrypto_direct PUBLIC
      "MBEDTLS_CONFIG_FILE=\"${CMAKE_SOURCE_DIR}/tests/crypto/direct_config.h\"")
  set_target_properties(sm_mbedcrypto_direct PROPERTIES C_EXTENSIONS ON)
endif()

# What a crypto client compiles with: Mbed TLS's headers in client-only mode, no code.
add_library(sm_crypto_client_headers INTERFACE)
target_include_directories(sm_crypto_client_headers SYSTEM INTERFACE "${MBEDTLS_DIR}/include"
                           "${CMAKE_SOURCE_DIR}/config/mbedtls")
target_compile_definitions(sm_crypto_client_headers INTERFACE
    "MBEDTLS_CONFIG_FILE=\"${CMAKE_SOURCE_DIR}/config/mbedtls/crypto_client_config.h\"")

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
sm_p256m_library(sm_p256m ${SM_BOOT_MBEDTLS})
