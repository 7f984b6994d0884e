#!/usr/bin/env bash
# log_ids_test.sh SM.elf SM.bin SM.logids: the product SM's messages as ids of their formats
# (PLAT_LOG_IDS, platform/include/plat_console.h; docs/design/footprint.md, "Messages as ids").
# - the image carries none of the formats' text, the table every one of them;
# - smrun --decode prints a record as the text it stands for: strings, numbers in every
#   conversion the formats use (%u, %d of a negative value, %x, %02x, %-8s, %%), records cut
#   across reads, text around them left as it is;
# - what is not a record of this table is shown, not dropped: an unknown id, a record with
#   another count of arguments, a record the board never finished.
# The decoded messages of a running board are checked by the other product tests (smrun
# decodes with this tree's table by default): product.module_slots, product.smoke.
set -uo pipefail
elf=$1 bin=$2 ids=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
smrun="$here/../../tools/smrun"
. "$here/../lib.sh"

# The table is the ELF's .sm_fmt section, not part of what is programmed.
arm-none-eabi-objcopy -O binary --only-section=.sm_fmt --set-section-flags .sm_fmt=alloc \
    "$elf" "$tmp/fmt.bin" && cmp -s "$tmp/fmt.bin" "$ids" &&
    ok "sm.logids is the ELF's .sm_fmt section" || bad "sm.logids is not the ELF's .sm_fmt"
arm-none-eabi-readelf -S -W "$elf" | awk '$2 == ".sm_fmt" { print $8 }' | grep -qv A &&
    ok ".sm_fmt is not allocated (not in the image)" || bad ".sm_fmt is allocated"
for text in "SM: Secure Manager started" "SM: module slot %u: refused: %s" \
    "SM: partition %s stopped: %s" "restarting the device" "isolation level 3"; do
    grep -qaF -- "$text" "$ids" || bad "the table lacks \"$text\""
    grep -qaF -- "$text" "$bin" && bad "the image still holds \"$text\""
done
ok "the formats are in the table, not in the image"

# Records made as the console makes them (console_uart.c: plat_log_id), for formats of the
# table found by their text.
python3 - "$ids" >"$tmp/in" <<'PY'
import sys
t = open(sys.argv[1], "rb").read()
def rec(fmt, *args):
    off = t.index(fmt + b"\0")
    out = b"\x1e%x" % off
    for a in args:
        out += b"\x1f" + (a if isinstance(a, bytes) else b"%x" % (a & 0xFFFFFFFF))
    return out + b"\x1d"
loaded = b"SM: module slot %u: %s (partition id %d), %u service(s), loaded\n"
record = (b"SM: boot record: %-8s %u.%u.%u+%u, security counter %u, measurement "
          b"%02x%02x%02x%02x...%s\n")
sys.stdout.buffer.write(
    b"before " + rec(b"SM: module slots %u to %u: refused: this image loads %u\n", 2, 3, 2) +
    rec(loaded, 1, b"TEST_MOD_ECHO", -5, 1) +
    rec(record, b"SM", 1, 2, 3, 4, 5, 0xA, 0xB, 0xC0, 0xD, b" (trial)") +
    b"between\n" + rec(b"SM: Secure Manager started\n") +
    b"\x1e999999\x1f1\x1d" +                           # an id the table does not have
    rec(loaded, 1, b"X") +                             # too few arguments for its format
    b"after\n\x1e31b\x1f2")                            # cut by a reset: never finished
PY
# Fed in small pieces, so records are cut across reads.
split -b 7 "$tmp/in" "$tmp/piece."
cat "$tmp"/piece.* | "$smrun" --log-ids "$ids" --decode | tr -d '\r' | cat -v >"$tmp/out"
cat "$tmp/out"
cat >"$tmp/want" <<'EOF'
before SM: module slots 2 to 3: refused: this image loads 2
SM: module slot 1: TEST_MOD_ECHO (partition id -5), 1 service(s), loaded
SM: boot record: SM       1.2.3+4, security counter 5, measurement 0a0bc00d... (trial)
between
SM: Secure Manager started
EOF
python3 - "$ids" >>"$tmp/want" <<'PY'
import sys
t = open(sys.argv[1], "rb").read()
off = t.index(b"SM: module slot %u: %s (partition id %d), %u service(s), loaded\n\0")
print("[SM log 999999: 1][SM log %x: 1, X]after" % off)
print("^^31b^_2", end="")
PY
diff "$tmp/want" "$tmp/out" >/dev/null && ok "records decoded, the rest shown as it came" ||
    { diff "$tmp/want" "$tmp/out"; bad "smrun --decode printed something else"; }
expect_fail "--decode without a table is refused" 2 "needs --log-ids" \
    env SMRUN_LOG_IDS= "$smrun" --decode
finish log_ids_test
