#!/usr/bin/env bash
# deps.sh: install what the build needs, once (the `make deps` step).
#
# 1. Debian packages (toolchain, emulator, build and test tools) when a command is missing.
# 2. Mbed TLS 3.6 LTS and TinyCBOR source trees from Debian's source archive, unpacked under
#    $BUILD/deps. Mbed TLS 3.6 is only in trixie, so a deb-src entry for trixie (and the
#    machine's own suite) is added when none exists, using the mirror the machine already uses.
#
# A second run finds everything in place and returns in well under a second.
# MBEDTLS_SRC=/path/to/mbedtls-3.6.x skips the Mbed TLS download (the tree is version checked).
set -euo pipefail

BUILD=${BUILD:-build}
DEPS="$BUILD/deps"
STAMP="$DEPS/.packages-ok"
mkdir -p "$DEPS"

say() { printf 'deps: %s\n' "$*" >&2; }
die() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "not root and no sudo: install the packages listed in README.md by hand"
    SUDO=sudo
fi

# --- 1. Debian packages ------------------------------------------------------------------
# Each package with a file (or a glob matching one) that proves it is installed (cheaper than
# asking dpkg). clang and its libFuzzer runtime build the fuzzing harnesses (tests/fuzz).
PKG_CHECKS=(
    "gcc-arm-none-eabi:/usr/bin/arm-none-eabi-gcc"
    "libnewlib-arm-none-eabi:/usr/lib/arm-none-eabi/include/string.h"
    "qemu-system-arm:/usr/bin/qemu-system-arm"
    "cmake:/usr/bin/cmake"
    "libcmocka-dev:/usr/include/cmocka.h"
    "dpkg-dev:/usr/bin/dpkg-source"
    "clang-format:/usr/bin/clang-format"
    "cppcheck:/usr/bin/cppcheck"
    "clang:/usr/bin/clang"
    "libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a"
    "xz-utils:/usr/bin/xz"
    "python3:/usr/bin/python3"
    "pkg-config:/usr/bin/pkg-config"
)
apt_updated=0
apt_update() {
    if [ $apt_updated = 0 ]; then
        say "apt-get update"
        $SUDO apt-get update -qq || die "apt-get update failed"
        apt_updated=1
    fi
}

# The stamp holds the list it was made for, so adding a package re-checks existing trees.
if [ "$(cat "$STAMP" 2>/dev/null)" != "${PKG_CHECKS[*]}" ]; then
    missing=()
    for entry in "${PKG_CHECKS[@]}"; do
        compgen -G "${entry#*:}" >/dev/null || missing+=("${entry%%:*}")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        apt_update
        say "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null ||
            die "apt-get install ${missing[*]} failed"
    fi
    printf '%s' "${PKG_CHECKS[*]}" >"$STAMP"
fi

# --- 2. Source trees from Debian's source archive ----------------------------------------
# The mirror the machine already uses, from deb822 or one-line sources.
debian_mirror() {
    local m=""
    if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
        m=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
            /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
    fi
    if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
        m=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/ && $i !~ /security/) { print $i; exit } }' \
            /etc/apt/sources.list | head -n 1)
    fi
    printf '%s' "$m"
}

have_deb_src_for() {
    grep -rqsE "^(deb-src .*[[:space:]]$1[[:space:]]|Types:.*deb-src)" /etc/apt/sources.list /etc/apt/sources.list.d/ &&
        grep -rqsE "(deb-src .*[[:space:]]$1[[:space:]]|Suites:.*[[:space:]]$1([[:space:]]|$))" \
            $(grep -rlsE "deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null) /dev/null
}

ensure_deb_src() {
    local list=/etc/apt/sources.list.d/secure-manager-src.sources
    [ -f "$list" ] && return 0
    have_deb_src_for trixie && return 0
    local mirror suite
    mirror=$(debian_mirror)
    [ -n "$mirror" ] || die "cannot find a Debian mirror in /etc/apt/sources.list*; add a deb-src entry for trixie by hand"
    suite=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
    say "adding deb-src for trixie${suite:+ and $suite} from $mirror ($list)"
    printf 'Types: deb-src\nURIs: %s\nSuites: trixie %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$mirror" "$suite" | $SUDO tee "$list" >/dev/null
    apt_updated=0
    apt_update
}

# first_match GLOB...: the first argument that names an existing file, or nothing
first_match() {
    local f
    for f in "$@"; do
        [ -e "$f" ] && { printf '%s' "$f"; return 0; }
    done
    return 0
}

# fetch_source PKG SUITE-OR-EMPTY DESTDIR-NAME: download and unpack with dpkg-source
fetch_source() {
    local pkg=$1 suite=$2 dest=$3
    [ -d "$DEPS/$dest" ] && return 0
    ensure_deb_src
    local tmp="$DEPS/.fetch-$pkg"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    say "fetching $pkg${suite:+/$suite} source from Debian"
    # apt-get fails when any file of the source package is missing on the mirror; the upstream
    # (.orig) tarball alone is enough for us, so use whatever arrived before judging.
    (cd "$tmp" && apt-get source -qq --download-only "$pkg${suite:+/$suite}" >/dev/null 2>&1) || true
    if [ -z "$(first_match "$tmp"/*.dsc "$tmp"/*.orig.tar.*)" ]; then
        apt_updated=0
        apt_update
        (cd "$tmp" && apt-get source -qq --download-only "$pkg${suite:+/$suite}" >/dev/null 2>&1) || true
    fi
    local dsc orig
    dsc=$(first_match "$tmp"/*.dsc)
    orig=$(first_match "$tmp"/*.orig.tar.*)
    if [ -n "$dsc" ] && (cd "$tmp" && dpkg-source --no-check -x "$(basename "$dsc")" src >/dev/null 2>&1); then
        :
    elif [ -n "$orig" ]; then
        mkdir -p "$tmp/src"
        tar -xf "$orig" -C "$tmp/src" --strip-components=1 || die "unpacking $orig failed"
    else
        die "apt-get source $pkg${suite:+/$suite} failed: no source package found (is there a deb-src entry?)"
    fi
    mv "$tmp/src" "$DEPS/$dest"
    rm -rf "$tmp"
}

mbedtls_version() {
    sed -n 's/^#define MBEDTLS_VERSION_STRING *"\(.*\)"/\1/p' "$1/include/mbedtls/build_info.h" 2>/dev/null
}

if [ -n "${MBEDTLS_SRC:-}" ]; then
    [ -f "$MBEDTLS_SRC/include/mbedtls/build_info.h" ] || die "MBEDTLS_SRC=$MBEDTLS_SRC is not an Mbed TLS tree"
    mbedtls_dir=$MBEDTLS_SRC # the Makefile passes the same variable to CMake
else
    fetch_source mbedtls trixie mbedtls
    mbedtls_dir="$DEPS/mbedtls"
fi
v=$(mbedtls_version "$mbedtls_dir")
case "$v" in
    3.6.*) ;;
    *) die "Mbed TLS in $mbedtls_dir is version '${v:-unknown}', 3.6.x is required" ;;
esac

fetch_source tinycbor "" tinycbor
[ -f "$DEPS/tinycbor/src/cbor.h" ] || die "TinyCBOR tree in $DEPS/tinycbor has no src/cbor.h"
