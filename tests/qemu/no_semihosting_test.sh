#!/usr/bin/env bash
# no_semihosting_test.sh FW_BUILD: no firmware image can call the host. Disassembles every ELF
# of the firmware build (and the SMAK library) and fails on any BKPT 0xAB, the semihosting
# call, outside the functions named semihost_attack of the two images that try it on purpose
# (ns_semihost_test.elf and sm_test.elf, through tests/partitions/fault.c: qemu.no_semihost
# checks that it faults there).
set -u
fw=${1:?usage: no_semihosting_test.sh FW_BUILD}
mapfile -t files < <(find "$fw" -name '*.elf' -o -name 'libsmak.a' -o -name 'libsm_smak.a' | sort)
[ ${#files[@]} -gt 0 ] || { echo "no_semihosting_test: no ELF under $fw"; exit 1; }
bad=0
allowed=0
for f in "${files[@]}"; do
    hits=$(arm-none-eabi-objdump -d "$f" | awk '
        /^[0-9a-f]+ <[^>]+>:$/ { fn = $2; gsub(/[<>:]/, "", fn) }
        /\tbkpt\t0x00ab/ { print fn }')
    [ -n "$hits" ] || continue
    case "$(basename "$f")" in
    ns_semihost_test.elf | sm_test.elf) others=$(grep -vx semihost_attack <<<"$hits") ;;
    *) others=$hits ;;
    esac
    if [ -n "$others" ]; then
        echo "no_semihosting_test: $f: semihosting call (bkpt 0x00ab) in: $(echo $others)"
        bad=1
    else
        allowed=$((allowed + 1))
    fi
done
# The scan must see the deliberate ones, or it proves nothing (say, objdump's syntax changed).
if [ "$allowed" != 2 ]; then
    echo "no_semihosting_test: expected the 2 deliberate semihosting images, saw $allowed"
    bad=1
fi
[ $bad = 0 ] && echo "no_semihosting_test: ${#files[@]} files, no semihosting call outside the attack tests"
exit $bad
