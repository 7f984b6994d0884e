# Secure Manager: the two commands of the README, and a few more.
#
#   make run    install what is missing, build everything, boot the system in QEMU
#   make test   install what is missing, build everything, run every test
#   make bench  print flash/RAM of every firmware image and the measured figures
#   make debug  like run, but QEMU waits for gdb on :1234
#   make lint   clang-format and cppcheck on our sources
#   make fuzz   each libFuzzer harness for FUZZ_SECONDS (default 60; FUZZ_TARGETS to pick)
#   make install PREFIX=/usr/local   smtool, smrun and the SMAK (board and Linux, pkg-config)
#
# MBEDTLS_SRC=/path/to/mbedtls-3.6.x uses an existing Mbed TLS tree instead of Debian's.

MAKEFLAGS += --no-print-directory
BUILD     ?= build
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
BUILD_ABS := $(abspath $(BUILD))
MBEDTLS_DIR := $(if $(MBEDTLS_SRC),$(abspath $(MBEDTLS_SRC)),$(BUILD_ABS)/deps/mbedtls)
CMAKE_DEFS := -DMBEDTLS_DIR=$(MBEDTLS_DIR) -DTINYCBOR_DIR=$(BUILD_ABS)/deps/tinycbor
RUN_DEVICE := $(BUILD)/device
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
PREFIX ?= /usr/local

.PHONY: all deps host fw product run debug test bench fuzz lint format clean distclean install

all: host fw product

deps:
	@BUILD=$(BUILD) MBEDTLS_SRC=$(MBEDTLS_SRC) scripts/deps.sh

host: deps
	@test -f $(BUILD)/host/CMakeCache.txt || \
	  cmake -S . -B $(BUILD)/host -DSM_PLATFORM=host $(CMAKE_DEFS) >/dev/null
	@cmake --build $(BUILD)/host -j $(JOBS)

fw: deps host
	@test -f $(BUILD)/fw/CMakeCache.txt || \
	  cmake -S . -B $(BUILD)/fw -DSM_PLATFORM=an505 -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake \
	    -DSM_HOST_BUILD_DIR=$(BUILD_ABS)/host $(CMAKE_DEFS) >/dev/null
	@cmake --build $(BUILD)/fw -j $(JOBS)
	@scripts/compile-commands.sh $(BUILD)/host $(BUILD)/fw > compile_commands.json

# The product profile (docs/design/footprint.md): its SM image, NS kit and board tests in
# $(BUILD)/product/fw, its conformance tests on the host in $(BUILD)/product/host.
product: deps host fw
	@test -f $(BUILD)/product/host/CMakeCache.txt || \
	  cmake -S . -B $(BUILD)/product/host -DSM_PLATFORM=host -DSM_PROFILE=product $(CMAKE_DEFS) >/dev/null
	@cmake --build $(BUILD)/product/host -j $(JOBS) --target crypto_diff_service crypto_diff_direct \
	  test_crypto_service_product
	@test -f $(BUILD)/product/fw/CMakeCache.txt || \
	  cmake -S . -B $(BUILD)/product/fw -DSM_PLATFORM=an505 -DSM_PROFILE=product \
	    -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake -DSM_HOST_BUILD_DIR=$(BUILD_ABS)/host \
	    $(CMAKE_DEFS) >/dev/null
	@cmake --build $(BUILD)/product/fw -j $(JOBS)

# The system as a user gets it: a fresh device (dev keys in build/keys), the whole boot chain
# and the demo NS application, booted until it powers off.
run: all
	@scripts/make-device.sh $(BUILD) $(RUN_DEVICE)
	tools/smrun $(RUN_DEVICE)

debug: all
	@scripts/make-device.sh $(BUILD) $(RUN_DEVICE)
	@echo "attach with: gdb-multiarch $(BUILD)/fw/boot/irot/irot.elf -ex 'target remote :1234' (add-symbol-file for the other stages)"
	tools/smrun --gdb --timeout 3600 $(RUN_DEVICE)

test: all
	ctest --test-dir $(BUILD)/host --output-on-failure -j $(JOBS)
	ctest --test-dir $(BUILD)/fw --output-on-failure -j $(JOBS)
	ctest --test-dir $(BUILD)/product/host --output-on-failure -j $(JOBS)
	ctest --test-dir $(BUILD)/product/fw --output-on-failure -j $(JOBS)

install: all
	@scripts/install.sh $(BUILD) $(PREFIX)

bench: all
	@scripts/bench.sh $(BUILD)

# The fuzzing harnesses (tests/fuzz, built by the host build with clang): each for FUZZ_SECONDS,
# their corpora kept in $(BUILD)/fuzz between runs, findings in $(BUILD)/fuzz/findings.
fuzz: host
	@tests/fuzz/fuzz.sh --run $(BUILD)/host/fuzz/tests/fuzz $(FUZZ_SECONDS) $(BUILD)/fuzz $(FUZZ_TARGETS)

lint:
	@scripts/lint.sh

format:
	@scripts/lint.sh --fix

clean:
	rm -rf $(BUILD)/host $(BUILD)/fw $(BUILD)/product $(RUN_DEVICE) compile_commands.json

distclean:
	rm -rf $(BUILD) compile_commands.json
