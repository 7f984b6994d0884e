# fuzz.cmake: the flags of the fuzzing build (SM_FUZZ=ON, configured by tests/fuzz): every
# object with AddressSanitizer and UndefinedBehaviorSanitizer (any report stops the run, so a
# finding is never a line in a log), our own code also with libFuzzer's coverage feedback
# (through sm_warnings, which every target of ours links), the harnesses with libFuzzer's main.
# Third-party code (Mbed TLS, p256-m) is sanitized but not coverage-guided: its paths are not
# what we explore, and its counters would only dilute ours.
if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "SM_FUZZ needs clang (libFuzzer), not ${CMAKE_C_COMPILER_ID}")
endif()
set(SM_SANITIZERS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
add_compile_options(${SM_SANITIZERS} -g)
add_link_options(-fsanitize=address,undefined)
target_compile_options(sm_warnings INTERFACE -fsanitize=fuzzer-no-link)
