#!/usr/bin/env bash
# bench.sh BUILD: the `make bench` table.
#   1. flash and RAM of every firmware image (from its ELF sections)
#   2. instruction counts measured on QEMU with -icount shift=0 (deterministic)
# bench.sh --check-determinism BUILD: run the benchmark image twice, fail if any figure differs,
#   and if a figure committed in tests/bench/figures.txt has grown by more than 2%.
set -euo pipefail
check=0
if [ "${1:-}" = "--check-determinism" ]; then
    check=1
    shift
fi
build=${1:?usage: bench.sh [--check-determinism] BUILD}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
smtool="$build/host/tools/smtool/smtool"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
figures="$here/../tests/bench/figures.txt"

# committed KEY / anchor_note KEY VALUE: a figure's committed value, and its anchor with the ratio
# (tests/bench/figures.txt; KEY is the figure's name with _ for spaces).
committed() { awk -v k="$1" '$1 == k { print $2 }' "$figures"; }
anchor_note() {
    awk -v k="$1" -v v="$2" '$1 == k {
        src = ""; for (i = 4; i <= NF; i++) src = src (i > 4 ? " " : "") $i
        printf "; anchor %s (%s): x%.2f", $3, src, v / $3 }' "$figures"
}
# boot_line DEVICE [SM.bin]: the SM's line reporting the boot time, on a device made as
# `make run` does (with that SM image in place of build/fw's). The boot figure is measured with
# the product profile's SM (docs/design/footprint.md), what a device ships; the full profile's
# is printed beside it.
boot_sm="$build/product/fw/core/sm.bin"
# The product SM prints its messages as ids of their formats: smrun prints their text with the
# build's table (tools/smrun, --log-ids).
[ -f "$build/product/fw/core/sm.logids" ] && export SMRUN_LOG_IDS="$build/product/fw/core/sm.logids"
boot_line() {
    [ -f "${2:-$boot_sm}" ] || { echo "bench: no SM image ${2:-$boot_sm} (make builds it)" >&2; exit 1; }
    SM_IMAGE=${2:-$boot_sm} "$here/make-device.sh" "$build" "$1" >/dev/null
    "$here/../tools/smrun" --quiet --icount --timeout 120 --max-boots 2 "$1" </dev/null |
        tr -d '\r' | grep -m1 'SM: starting the non-secure application, '
}
boot_ticks() { sed -n 's/.*application, \([0-9]*\) timer ticks after reset.*/\1/p'; }

# run_bench IMAGE.bin: the BENCH lines the image prints under -icount.
run_bench() {
    "$smtool" provision -d "$tmp/dev" --force >/dev/null
    "$smtool" program -d "$tmp/dev" --slot irot "$1" >/dev/null
    "$here/../tools/smrun" --quiet --icount --timeout 300 "$tmp/dev" </dev/null | tr -d '\r' | grep '^BENCH '
}

# run_ns_bench: the BENCH lines of the calls from NS into the SM: the NS application is the NS
# benchmark, the SM the test image (its partitions are the services called), with a secure
# module (tests/modules' probe) in module slot 0, signed by that slot's key.
run_ns_bench() {
    local k="$tmp/nskeys"
    SM_IMAGE="$build/fw/core/sm_test.bin" SM_KEYS="$k" "$here/make-device.sh" "$build" \
        "$tmp/nsbench" "$build/fw/tests/bench/ns_bench.bin"
    "$smtool" keygen -k "$k/mod0.pem" >/dev/null
    "$smtool" sign -k "$k/mod0.pem" -v 1.0.0 -s 1 -H 0x400 --pad-header -S 0x10000 \
        "$build/fw/tests/modules/mod_probe.payload" "$k/mod0.signed" >/dev/null
    "$smtool" provision --force -d "$tmp/nsbench" --urot-key "$k/urot.pem" --sm-key "$k/sm.pem" \
        --ns-key "$k/ns.pem" --module0-key "$k/mod0.pem" --module-slots 1 >/dev/null
    "$smtool" program -d "$tmp/nsbench" --slot irot "$build/fw/boot/irot/irot.bin" >/dev/null
    for s in urot sm ns mod0; do
        "$smtool" program -d "$tmp/nsbench" --slot "$s" "$k/$s.signed" >/dev/null
    done
    "$here/../tools/smrun" --quiet --icount --timeout 300 "$tmp/nsbench" </dev/null |
        tr -d '\r' | grep '^BENCH '
}

# install_ticks: "STAGE FIRST LATER", timer ticks of a blank chip made secure from a package
# (issue #15's measure; docs/design/install-package.md, "Cost"): a package with the uRoT, the
# product SM (encrypted for the vendor's product key) and the demo NS. A real session over the
# line on one chip (`smtool install`, then `smtool lifecycle` to PSA_ROT_PROVISIONING and to
# SECURED, each with --record) gives the bytes; a byte-for-byte copy of that blank chip, its
# stage the replaying one (prov_replay: the bytes from memory, no wait on the programmer),
# gets them. STAGE: power-on to the session's end (the mailbox word); FIRST: the first boot to
# NS, which installs the images from the download slots; LATER: the boot after it.
install_ticks() {
    local d=$tmp/inst k
    mkdir -p "$d"
    "$smtool" chip make "$d/live" --vendor "$d/vendor" --irot "$build/fw/boot/irot/irot.bin" \
        --prov "$build/fw/boot/prov/prov.bin" >/dev/null 2>&1 || return 1
    cp -a "$d/live" "$d/chip"
    python3 - "$d/chip/flash.img" "$build/fw/boot/prov/prov_replay.bin" \
        "$here/../platform/an505/include/flash_map.h" <<'PY2' || return 1
import re, sys
img, stage = bytearray(open(sys.argv[1], "rb").read()), open(sys.argv[2], "rb").read()
m = dict(re.findall(r"#define (FLASH_PROV_\w+)\s+(0x[0-9a-fA-F]+)", open(sys.argv[3]).read()))
base, size = int(m["FLASH_PROV_OFFSET"], 16), int(m["FLASH_PROV_SIZE"], 16)
assert len(stage) <= size, "the replaying stage does not fit its region"
img[base:base + size] = stage + b"\xff" * (size - len(stage))
open(sys.argv[1], "wb").write(img)
PY2
    for k in line oem install urot sm ns; do "$smtool" keygen -k "$d/$k.pem" >/dev/null; done
    "$smtool" getpub -k "$d/install.pem" -o "$d/install.pub.pem" >/dev/null
    rsize() { "$smtool" regions | awk -v n="$1" '$1 == n { print $3 * 1024 }'; }
    "$smtool" sign -k "$d/urot.pem" -v 1.0.0 -s 1 -H 0x400 --pad-header -S "$(rsize urot)" \
        -E "$d/install.pub.pem" "$build/fw/boot/urot/urot.bin" "$d/urot.img" >/dev/null
    "$smtool" sign -k "$d/sm.pem" -v 1.0.0 -s 1 -H 0x400 --pad-header -S "$(rsize sm)" \
        -E "$d/vendor/product.pub.pem" "$boot_sm" "$d/sm.img" >/dev/null
    "$smtool" sign -k "$d/ns.pem" -v 1.0.0 -s 1 -H 0x400 --pad-header -S "$(rsize ns)" \
        -E "$d/install.pub.pem" "$build/fw/ns/demo/ns_demo_v1.bin" "$d/ns.img" >/dev/null
    printf '{"line_key": "line.pem", "lifecycle_key": "oem.pem", "ns_install_key": "install.pem", "key.urot": "urot.pem", "key.sm": "sm.pem", "key.ns": "ns.pem", "image.urot": "urot.img", "image.sm": "sm.img", "image.ns": "ns.img"}' \
        >"$d/install.json"
    "$smtool" package --config "$d/install.json" -o "$d/pkg.bin" >/dev/null || return 1
    "$here/../tools/smrun" --quiet --timeout 600 --port "$d/port" "$d/live" </dev/null \
        >/dev/null 2>&1 &
    local live=$! rc=0
    "$smtool" install --port "$d/port" "$d/pkg.bin" --root "$d/vendor/root.pub.pem" \
        --key "$d/line.pem" --out "$d" --record "$d/session" --timeout 60 >/dev/null 2>&1 &&
        "$smtool" lifecycle --port "$d/port" --to psa-rot-provisioning --record "$d/session" \
            >/dev/null 2>&1 &&
        "$smtool" lifecycle --port "$d/port" --to secured --key "$d/oem.pem" \
            --record "$d/session" >/dev/null 2>&1 || rc=1
    kill -TERM "$live" 2>/dev/null || true
    wait "$live" || true
    [ $rc = 0 ] || return 1
    # The runner loads it into the secure alias of SSRAM3 (prov_line_replay.c): length, bytes.
    python3 -c 'import struct, sys; b = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(struct.pack("<I", len(b)) + b)' "$d/session" "$d/replay.bin"
    local stage first later
    stage=$("$here/../tools/smrun" --quiet --icount --timeout 300 "$d/chip" -- -device \
        "loader,file=$d/replay.bin,addr=0x38200000,force-raw=on" </dev/null 2>&1 >/dev/null |
        sed -n 's/^smrun: bench word \([0-9]*\)$/\1/p')
    read -r first later < <("$here/../tools/smrun" --quiet --icount --timeout 300 --max-boots 3 \
        "$d/chip" </dev/null 2>/dev/null | tr -d '\r' | boot_ticks | head -2 | xargs)
    [ -n "$stage" ] && [ -n "$first" ] && [ -n "$later" ] || return 1
    echo "$stage $first $later"
}

bench_bin="$build/fw/tests/bench/board_bench.bin"
product_sm="$build/product/fw/core/sm.elf"
[ -f "$product_sm" ] || { echo "bench: no product SM image ($product_sm): run make"; exit 1; }
if [ $check = 1 ]; then
    a=$(run_bench "$bench_bin")
    b=$(run_bench "$bench_bin")
    echo "$a"
    [ -n "$a" ] && [ "$a" = "$b" ] || { echo "bench: figures differ between two runs:"; echo "$b"; exit 1; }
    echo "bench: two runs gave identical figures"
    # The committed figures (tests/bench/figures.txt): none may be more than 2% above.
    per_tick=$(printf '%s\n' "$a" | awk '$2 == "timer_insns_per_tick" { print $3 }')
    ticks=$(boot_line "$tmp/boot" | boot_ticks)
    [ -n "$ticks" ] || { echo "bench: no boot time reported"; exit 1; }
    status=0
    check() { # check KEY VALUE
        local want
        want=$(committed "$1")
        if awk -v v="$2" -v w="$want" 'BEGIN { exit !(v > w * 1.02) }'; then
            echo "bench: $1 = $2, more than 2% above the committed $want (tests/bench/figures.txt)"
            status=1
        elif awk -v v="$2" -v w="$want" 'BEGIN { exit !(v < w * 0.98) }'; then
            echo "bench: $1 = $2, more than 2% below the committed $want: update tests/bench/figures.txt"
        else
            echo "bench: $1 = $2 (committed $want)"
        fi
    }
    check boot_reset_to_ns "$(awk -v t="$ticks" -v k="$per_tick" 'BEGIN { printf "%.0f", t * k }')"
    # The call path from NS (docs/design/call-path.md): the NS benchmark on the test SM image.
    ns_lines=$(run_ns_bench)
    for f in ns_psa_call_empty ns_psa_hash_compute_sha256_0 ns_psa_its_get_info_missing; do
        v=$(printf '%s\n' "$ns_lines" | awk -v n="$f" '$2 == n { print $3 }')
        [ -n "$v" ] || { echo "bench: no $f figure"; exit 1; }
        check "$f" "$v"
    done
    for stage in irot urot prov; do
        read -r text data bss < <(arm-none-eabi-size -B "$build/fw/boot/$stage/$stage.elf" | awk 'NR == 2 { print $1, $2, $3 }')
        check "${stage}_flash" $((text + data))
        check "${stage}_RAM" $((data + bss))
    done
    # The product profile's SM image with its services (make builds it in $build/product).
    read -r text data bss < <(arm-none-eabi-size -B "$product_sm" | awk 'NR == 2 { print $1, $2, $3 }')
    check sm_product_flash $((text + data))
    check sm_product_RAM $((data + bss))
    # A blank chip made secure from a package, and the boot of that chip (install_ticks).
    read -r st first later < <(install_ticks) || { echo "bench: the install benchmark failed"; exit 1; }
    for f in "install_blank_to_secured $st" "install_first_boot $first" "boot_reset_to_ns_chip $later"; do
        set -- $f
        check "$1" "$(awk -v t="$2" -v k="$per_tick" 'BEGIN { printf "%.0f", t * k }')"
    done
    exit $status
fi

printf '%-40s %12s  %-10s %s\n' "figure" "value" "unit" "how measured"
printf '%-40s %12s  %-10s %s\n' "------" "-----" "----" "------------"
while read -r name elf; do
    # Flash: everything loaded from the image (code, read-only data, .data's initial values).
    # RAM: .data + .bss + stack (NOLOAD sections in RAM).
    read -r text data bss < <(arm-none-eabi-size -B "$elf" | awk 'NR == 2 { print $1, $2, $3 }')
    printf '%-40s %12s  %-10s %s\n' "$name flash" "$((text + data))" "bytes" \
        "ELF text+data (arm-none-eabi-size)$(anchor_note "${name}_flash" $((text + data)))"
    printf '%-40s %12s  %-10s %s\n' "$name RAM" "$((data + bss))" "bytes" \
        "ELF data+bss incl. stack$(anchor_note "${name}_RAM" $((data + bss)))"
done <"$build/fw/firmware_images.txt"
# The product profile's SM image (docs/design/footprint.md), against TF-M's Profile Large and
# against the goal of issue #16: 72 KiB / 32 KiB with four services, 8 KiB / 3 KiB of it kept
# for the FWU service, so 64 KiB / 29 KiB for these three.
read -r text data bss < <(arm-none-eabi-size -B "$product_sm" | awk 'NR == 2 { print $1, $2, $3 }')
printf '%-40s %12s  %-10s %s\n' "sm_product flash" "$((text + data))" "bytes" \
    "ITS, crypto, attestation, FWU; goal 73728 (72 KiB)$(anchor_note sm_product_flash $((text + data)))"
printf '%-40s %12s  %-10s %s\n' "sm_product RAM" "$((data + bss))" "bytes" \
    "incl. every stack; goal 32768 (32 KiB)$(anchor_note sm_product_RAM $((data + bss)))"

# Secure modules in the product SM (docs/design/modules.md): the loader's code, paid once, and
# the RAM reserved for each of its module slots (2, SM_PRODUCT_MODULE_SLOTS; counted from the
# 16-byte names) whether a module is installed or not: its thread (SM_THREAD_SIZE), its entries
# in sm_module_partitions, sm_module_memory and the names, its share of the connection slots
# (4 of 12 bytes, smgen's MODULE_CONNECTIONS) and of the room for module services in
# sm_services and sm_queues (4 of 16 + 8 bytes, MODULE_SERVICES_PER_SLOT).
read -r loader_flash slot_ram slots < <(arm-none-eabi-nm -S "$product_sm" | python3 -c '
import re, sys
size = {}
for line in sys.stdin:
    f = line.split()
    if len(f) == 4:
        size[f[3]] = size.get(f[3], 0) + int(f[1], 16)
code = sum(v for k, v in size.items()
           if re.match(r"(sm_module_(load|parse|relocate|strerror)|load_modules|module_payload|"
                       r"relocate_word|sm_kernel_add_module|sm_arch_module_memory)\b", k))
thread = int(re.search(r"SM_THREAD_SIZE\s+(\d+)", open(sys.argv[1]).read()).group(1))
slots = size["names"] // 16
per_slot = thread + (size["sm_module_partitions"] + size["sm_module_memory"] + size["names"]) // slots
print(code, per_slot + 4 * 12 + 4 * (16 + 8), slots)' "$here/../core/arch/armv8m/sm_svc.h")
printf '%-40s %12s  %-10s %s\n' "sm_product module loader flash" "$loader_flash" "bytes" \
    "the loader's and descriptor parser's code (nm sizes, without their messages), once"
printf '%-40s %12s  %-10s %s\n' "sm_product RAM per module slot" "$slot_ram" "bytes" \
    "thread, partition and memory entries, name, connection share, service room ($slots slots)"

bench_lines=$(run_bench "$bench_bin")
printf '%s\n' "$bench_lines" | while read -r _ name value unit how; do
    printf '%-40s %12s  %-10s %s\n' "$name" "$value" "$unit" "QEMU -icount shift=0: $how"
done
per_tick=$(printf '%s\n' "$bench_lines" | awk '$2 == "timer_insns_per_tick" { print $3 }')

# Boot: reset to the SM handing over to the NS application, on a device made as `make run`
# makes it (first boot since provisioning, so it includes the first counter writes).
line=$(boot_line "$tmp/boot")
read -r total hash sig < <(printf '%s\n' "$line" |
    sed -n 's/.*application, \([0-9]*\) timer ticks after reset (hashing \([0-9]*\), signatures \([0-9]*\)).*/\1 \2 \3/p')
insns() { awk -v t="$1" -v k="$per_tick" 'BEGIN { printf "%.0f", t * k }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", 100 * a / b }'; }
how="QEMU -icount shift=0: iRoT main to SM starting NS, uRoT+SM+NS verified"
printf '%-40s %12s  %-10s %s\n' "boot reset_to_ns" "$(insns "$total")" "insn" \
    "$how, the product SM$(anchor_note boot_reset_to_ns "$(insns "$total")")"
full_total=$(boot_line "$tmp/boot_full" "$build/fw/core/sm.bin" | boot_ticks)
printf '%-40s %12s  %-10s %s\n' "boot reset_to_ns_full_profile" "$(insns "$full_total")" "insn" \
    "$how, the full profile's SM (every algorithm: a larger image to hash)"
printf '%-40s %12s  %-10s %s\n' "boot sha256_share" "$(pct "$hash" "$total")" "%" "of reset_to_ns, hashing images"
printf '%-40s %12s  %-10s %s\n' "boot signature_share" "$(pct "$sig" "$total")" "%" "of reset_to_ns, ECDSA P-256 verify (bl_p256.c)"

# The SM's start time per module loaded: the development SM's loader (the SM's own line, "module
# slots read in T timer ticks": reading the boot records, parsing, copying and relocating each
# module, registering its services) with no module, the echo module, and the echo and probe
# modules, each in its slot with its slot's key. The boot stages' verification of a module
# image (hash and signature) is apart: it is the boot's, and grows with the image's size.
load_ticks() { # DIR MOD0 MOD1: the loader's ticks on a device with these module images (or -)
    local k="$tmp/modkeys"
    SM_IMAGE="$build/fw/core/sm.bin" SM_KEYS="$k" "$here/make-device.sh" "$build" "$1" >/dev/null
    for m in 0 1; do [ -f "$k/mod$m.pem" ] || "$smtool" keygen -k "$k/mod$m.pem" >/dev/null; done
    "$smtool" provision --force -d "$1" --urot-key "$k/urot.pem" --sm-key "$k/sm.pem" \
        --ns-key "$k/ns.pem" --module0-key "$k/mod0.pem" --module1-key "$k/mod1.pem" \
        --module-slots 2 >/dev/null
    "$smtool" program -d "$1" --slot irot "$build/fw/boot/irot/irot.bin" >/dev/null
    for s in urot sm ns; do "$smtool" program -d "$1" --slot "$s" "$k/$s.signed" >/dev/null; done
    local i=0
    for p in "$2" "$3"; do
        if [ "$p" != - ]; then
            "$smtool" sign -k "$k/mod$i.pem" -v 1.0.0 -s 1 -H 0x400 --pad-header -S 0x10000 \
                "$build/fw/tests/modules/$p.payload" "$1/mod$i.img" >/dev/null
            "$smtool" program -d "$1" --slot "mod$i" "$1/mod$i.img" >/dev/null
        fi
        i=$((i + 1))
    done
    "$here/../tools/smrun" --quiet --icount --timeout 120 --max-boots 2 "$1" </dev/null |
        tr -d '\r' | sed -n 's/^SM: module slots read in \([0-9]*\) timer ticks$/\1/p' | head -1
}
l0=$(load_ticks "$tmp/load0" - -)
l1=$(load_ticks "$tmp/load1" mod_echo -)
l2=$(load_ticks "$tmp/load2" mod_echo mod_probe)
[ -n "$l0" ] && [ -n "$l1" ] && [ -n "$l2" ] || { echo "bench: no module load time"; exit 1; }
printf '%-40s %12s  %-10s %s\n' "sm_start_modules_none" "$(insns "$l0")" "insn" \
    "QEMU -icount shift=0: the SM's module loader with no module in its two slots"
printf '%-40s %12s  %-10s %s\n' "sm_start_per_module" \
    "$(awk -v a="$l2" -v b="$l0" -v k="$per_tick" 'BEGIN { printf "%.0f", (a - b) * k / 2 }')" "insn" \
    "QEMU -icount shift=0: SM start time per module loaded (two modules: echo, probe; one: $(insns "$((l1 - l0))"))"

# Calls from the NS world into the SM.
ns_lines=$(run_ns_bench)
# The crypto service's Mbed TLS called directly, in a secure image booted in the SM's place.
SM_IMAGE="$build/fw/tests/bench/crypto_bench.bin" "$here/make-device.sh" "$build" "$tmp/cbench"
direct_lines=$("$here/../tools/smrun" --quiet --icount --timeout 300 "$tmp/cbench" </dev/null |
    tr -d '\r' | grep '^BENCH ')
printf '%s\n%s\n' "$ns_lines" "$direct_lines" | while read -r _ name value unit how; do
    printf '%-40s %12s  %-10s %s\n' "$name" "$value" "$unit" \
        "QEMU -icount shift=0: $how$(anchor_note "$name" "$value")"
done
# The SM's share of each crypto call: through the SM from NS over the direct call.
for op in sha256_4k gcm_4k ecdsa_sign ecdsa_verify; do
    ns=$(printf '%s\n' "$ns_lines" | awk -v n="crypto_${op}_ns" '$2 == n { print $3 }')
    direct=$(printf '%s\n' "$direct_lines" | awk -v n="crypto_${op}_direct" '$2 == n { print $3 }')
    [ -n "$ns" ] && [ -n "$direct" ] || { echo "bench: crypto_${op} figures missing"; exit 1; }
    printf '%-40s %12s  %-10s %s\n' "crypto_${op}_sm_ratio" \
        "$(awk -v a="$ns" -v b="$direct" 'BEGIN { printf "%.3f", a / b }')" "x" \
        "through the SM from NS / Mbed TLS called directly"
done

# The ITS engine's flash cost, on the host's simulated flash (exact counts of units programmed).
"$build/host/tests/unit/test_its_store" --bench | while read -r _ name value unit how; do
    printf '%-40s %12s  %-10s %s\n' "$name" "$value" "$unit" "$how"
done

# Attestation: one token from NS through the product SM image, its size, and its floor, one
# signature by the core's p256-m made directly in a secure image booted in the SM's place; the
# attestation partition's own flash and RAM (its link unit, TinyCBOR's encoder included, and
# its stack).
"$here/make-device.sh" "$build" "$tmp/abench" "$build/fw/tests/bench/ns_attest_bench.bin"
attest_lines=$("$here/../tools/smrun" --quiet --icount --timeout 300 "$tmp/abench" </dev/null |
    tr -d '\r' | grep '^BENCH ')
SM_IMAGE="$build/fw/tests/bench/attest_bench.bin" "$here/make-device.sh" "$build" "$tmp/afloor"
floor_lines=$("$here/../tools/smrun" --quiet --icount --timeout 300 "$tmp/afloor" </dev/null |
    tr -d '\r' | grep '^BENCH ')
printf '%s\n%s\n' "$attest_lines" "$floor_lines" | while read -r _ name value unit how; do
    printf '%-40s %12s  %-10s %s\n' "$name" "$value" "$unit" "QEMU -icount shift=0: $how"
done
token=$(printf '%s\n' "$attest_lines" | awk '$2 == "attest_token_ns" { print $3 }')
floor=$(printf '%s\n' "$floor_lines" | awk '$2 == "attest_ecdsa_sign_direct" { print $3 }')
[ -n "$token" ] && [ -n "$floor" ] || { echo "bench: attestation figures missing"; exit 1; }
printf '%-40s %12s  %-10s %s\n' "attest_token_sign_ratio" \
    "$(awk -v a="$token" -v b="$floor" 'BEGIN { printf "%.3f", a / b }')" "x" \
    "a token from NS / one ECDSA P-256 signature called directly (goal <= 1.10)"
unit="$build/fw/services/attest/libsm_part_attest.a"
read -r text data bss < <(arm-none-eabi-size -B "$unit" | awk 'NR == 2 { print $1, $2, $3 }')
stack=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["stack_size"], 0))' \
    "$here/../services/attest/attest.json")
printf '%-40s %12s  %-10s %s\n' "attest partition flash" "$((text + data))" "bytes" \
    "its link unit text+data (encoder, TinyCBOR's encoder)"
printf '%-40s %12s  %-10s %s\n' "attest partition RAM" "$((data + bss + stack))" "bytes" \
    "its link unit data+bss, and its stack ($stack)"

# Firmware update: a 64 KiB NS image (signed, encrypted for the device) written from NS through
# the product SM image and finished (verified as at boot); the runner loads it into NS RAM. Then
# the flash cost of a whole update (download and install) against writing the image once, on
# the host's simulated flash (exact counts).
"$here/make-device.sh" "$build" "$tmp/fbench" "$build/fw/tests/bench/ns_fwu_bench.bin"
python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 7 + 3) & 0xFF for i in range(65536)))' \
    >"$tmp/fwu_payload.bin"
"$smtool" sign -k "${SM_KEYS:-$build/keys}/ns.pem" -v 2.0.0 -s 2 -H 0x400 --pad-header -S 0x80000 \
    -E "$tmp/fbench/enc.pub.pem" "$tmp/fwu_payload.bin" "$tmp/fwu_image.bin" >/dev/null
python3 -c 'import struct, sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(struct.pack("<I", len(d)) + d)' \
    "$tmp/fwu_image.bin" "$tmp/fwu_bundle.bin"
fwu_lines=$("$here/../tools/smrun" --quiet --icount --timeout 300 "$tmp/fbench" -- \
    -device "loader,file=$tmp/fwu_bundle.bin,addr=0x28300000,force-raw=on" </dev/null |
    tr -d '\r' | grep '^BENCH ')
[ -n "$fwu_lines" ] || { echo "bench: firmware update figures missing"; exit 1; }
printf '%s\n' "$fwu_lines" | while read -r _ name value unit how; do
    printf '%-40s %12s  %-10s %s\n' "$name" "$value" "$unit" "QEMU -icount shift=0: $how"
done
"$build/host/tests/unit/test_fwu_cuts" "$smtool" bench | grep '^BENCH ' |
    while read -r _ name value unit how; do
        printf '%-40s %12s  %-10s %s\n' "$name" "$value" "$unit" "$how"
    done
# Firmware update over the serial line: the bytes smtool update sends (each request once, HELLO
# to REBOOT) per byte of a 64 KiB NS image (the updater, padded), to the updater through
# smrun --port (docs/design/serial-frames.md). A function of the protocol and the image size.
"$here/make-device.sh" "$build" "$tmp/wire" "$build/fw/ns/examples/updater/updater.bin"
python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); sys.stdout.buffer.write(d + bytes(65536 - len(d)))' \
    "$build/fw/ns/examples/updater/updater.bin" >"$tmp/wire_payload.bin"
"$smtool" sign -k "${SM_KEYS:-$build/keys}/ns.pem" -v 2.0.0 -s 2 -H 0x400 --pad-header -S 0x80000 \
    -E "$tmp/wire/enc.pub.pem" "$tmp/wire_payload.bin" "$tmp/wire_image.bin" >/dev/null
"$here/../tools/smrun" --quiet --timeout 600 --port "$tmp/wire.sock" "$tmp/wire" </dev/null \
    >/dev/null 2>&1 &
wire_pid=$!
wire=$("$smtool" update -q --port "$tmp/wire.sock" "$tmp/wire_image.bin" 2>&1 |
    sed -n 's/.*line bytes per image byte: \([0-9.]*\) (\([0-9]*\) bytes.*/\1 \2/p') || true
kill -TERM "$wire_pid" 2>/dev/null || true
wait "$wire_pid" || true
[ -n "$wire" ] || { echo "bench: the serial line update did not complete"; exit 1; }
read -r wire_ratio wire_bytes <<<"$wire"
printf '%-40s %12s  %-10s %s\n' "fwu_wire_bytes_per_image_byte" "$wire_ratio" "ratio" \
    "smtool update of a $(stat -c %s "$tmp/wire_image.bin")-byte NS image: $wire_bytes bytes sent"
# The install package over the serial line: the bytes smtool install sends (HELLO, BEGIN and each
# chunk once) per byte of image, for a package holding the same NS image (encrypted for the
# package's install key), installed on a chip by the provisioning stage's core on the host
# (tests/unit/prov_device.c; docs/design/install-package.md). A function of the format.
pk=$tmp/pkg
mkdir -p "$pk"
"$smtool" chip make "$pk/chip" --vendor "$pk/vendor" >/dev/null 2>&1
for k in line oem install; do "$smtool" keygen -k "$pk/$k.pem" >/dev/null; done
"$smtool" sign -k "${SM_KEYS:-$build/keys}/ns.pem" -v 2.0.0 -s 2 -H 0x400 --pad-header -S 0x80000 \
    -E "$pk/install.pem" "$tmp/wire_payload.bin" "$pk/ns.bin" >/dev/null
printf '{"line_key": "line.pem", "lifecycle_key": "oem.pem", "ns_install_key": "install.pem", "key.ns": "%s", "image.ns": "ns.bin"}' \
    "$(realpath "${SM_KEYS:-$build/keys}/ns.pem")" >"$pk/install.json"
"$smtool" package --config "$pk/install.json" -o "$pk/pkg.bin" >/dev/null
"$build/host/tests/unit/prov_device" "$pk/chip" "$pk/port" &
pkg_pid=$!
pkg_sent=$("$smtool" install --port "$pk/port" "$pk/pkg.bin" --root "$pk/vendor/root.pub.pem" \
    --key "$pk/line.pem" --out "$pk" 2>/dev/null | sed -n 's/^sent: *\([0-9]*\) bytes.*/\1/p') || true
kill -TERM "$pkg_pid" 2>/dev/null || true
wait "$pkg_pid" || true
[ -n "$pkg_sent" ] || { echo "bench: the package install did not complete"; exit 1; }
pkg_image=$(stat -c %s "$pk/ns.bin")
printf '%-40s %12s  %-10s %s\n' "pkg_wire_bytes_per_image_byte" \
    "$(awk -v a="$pkg_sent" -v b="$pkg_image" 'BEGIN { printf "%.3f", a / b }')" "ratio" \
    "smtool install of a package with a $pkg_image-byte NS image: $pkg_sent bytes sent"
# A blank chip to SECURED from a package over the line, and its boots (install_ticks).
read -r st first later < <(install_ticks) || { echo "bench: the install benchmark failed"; exit 1; }
printf '%-40s %12s  %-10s %s\n' "install blank_to_secured" "$(insns "$st")" "insn" \
    "QEMU -icount shift=0: power-on of a blank chip to SECURED, a package of uRoT, product SM, NS ($(stat -c %s "$tmp/inst/pkg.bin") B) installed by the stage, replayed (no wait on the line)"
printf '%-40s %12s  %-10s %s\n' "install first_boot" "$(insns "$first")" "insn" \
    "QEMU -icount shift=0: that chip's first boot to NS: the three images installed from their download slots and verified"
printf '%-40s %12s  %-10s %s\n' "boot reset_to_ns_chip" "$(insns "$later")" "insn" \
    "QEMU -icount shift=0: the boot after it, uRoT+SM+NS verified, on the chip made from the package$(anchor_note boot_reset_to_ns_chip "$(insns "$later")")"
# The update partition's own flash and RAM (its library, and its stack).
read -r text data bss < <(arm-none-eabi-size -B "$build/fw/services/fwu/libsm_part_fwu.a" |
    awk 'NR == 2 { print $1, $2, $3 }')
stack=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["stack_size"], 0))' \
    "$here/../services/fwu/fwu.json")
printf '%-40s %12s  %-10s %s\n' "fwu partition flash" "$((text + data))" "bytes" \
    "its library text+data (goal <= 8 KiB)"
printf '%-40s %12s  %-10s %s\n' "fwu partition RAM" "$((data + bss + stack))" "bytes" \
    "its data+bss, and its stack ($stack) (goal <= 3 KiB)"
