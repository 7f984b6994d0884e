#!/usr/bin/env bash
# module_pack_test.sh SRC BUILD_DIR HOST_BUILD LIBSMDK: the test module's payload (mod_echo.payload,
# made by the build) taken by the SM core's descriptor parser and relocator as the loader will
# (module_check), with its pointers moved into its own flash and RAM; then what smmodule.py must
# refuse, each with its reason: code that is not position independent, a manifest naming a
# peripheral, a dependency without a SID, a missing entry point.
set -uo pipefail
src=$1 build=$2 host=$3 lib=$4
check="$host/tests/unit/module_check"
smmodule="$src/tools/smgen/smmodule.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }

flash=0x10300400 ram=0x38040000
if "$check" "$build/mod_echo.payload" 0x2000 $flash $ram >"$tmp/out"; then
    ok "the module's payload is accepted by the core's parser and relocator"
else
    bad "module_check refused the payload: $(cat "$tmp/out")"
fi
cat "$tmp/out"
grep -q "^name TEST_MOD_ECHO id 16385 priority 1 services 1 dependencies 1" "$tmp/out" &&
    ok "name, id, priority and counts from the manifest" || bad "descriptor header fields"
grep -q "^service 0x4001f000 version 1 flags 2 handle 20" "$tmp/out" &&
    ok "the stateless NS service with its fixed handle" || bad "service entry"
grep -q "^dependency 0x00000100" "$tmp/out" && ok "the dependency's SID (--sid)" ||
    bad "dependency"
# Every relocated word lands in the module's flash [flash, flash + code_end) or its RAM; the
# two .data pointers (the relocations) are one of each.
if python3 - "$tmp/out" $flash $ram <<'PY'
import re, sys
text = open(sys.argv[1]).read()
flash, ram = int(sys.argv[2], 0), int(sys.argv[3], 0)
code_end = int(re.search(r" code_end (0x[0-9a-f]+) ", text).group(1), 16)
ram_size = int(re.search(r" ram (\d+) ", text).group(1))
words = [(k, int(v, 16)) for k, v in re.findall(r"^(got|reloc) \d+: (0x[0-9a-f]+)$", text, re.M)]
def where(v):
    return "null" if v == 0 else "flash" if flash <= v < flash + code_end else \
        "ram" if ram <= v < ram + ram_size else "elsewhere"
kinds = [where(v) for _, v in words]
relocs = sorted(where(v) for k, v in words if k == "reloc")
assert "elsewhere" not in kinds, kinds
assert relocs == ["flash", "ram"], relocs
assert kinds.count("ram") >= 2, kinds   # the GOT reaches calls and the .data pointers
PY
then
    ok "every pointer is the module's own: a .data pointer into flash, one into RAM, the GOT's"
else
    bad "relocated pointers"
fi
"$check" "$build/mod_echo.payload" 0x100 $flash $ram >"$tmp/out2"
grep -q "do not fit the slot's RAM window" "$tmp/out2" && ok "a RAM window too small is refused" ||
    bad "small window: $(cat "$tmp/out2")"

# What the packer refuses.
cc=(arm-none-eabi-gcc -mcpu=cortex-m33 -mthumb -Os -ffunction-sections -fdata-sections
    -I "$src/interface/include" -I "$build/mod_echo_gen" -c "$src/tests/modules/echo_module.c")
ld=(arm-none-eabi-gcc -mcpu=cortex-m33 -mthumb -nostartfiles -nostdlib -T "$src/modules/kit/module.ld"
    -Wl,-e,mod_echo_main -Wl,--emit-relocs -Wl,--gc-sections)
refused() { # DESCRIPTION PATTERN ARGS...: smmodule.py pack ARGS must fail, saying PATTERN
    local what=$1 pattern=$2
    shift 2
    if python3 "$smmodule" pack "$@" "$tmp/x.payload" >"$tmp/o" 2>&1; then
        bad "$what: accepted"
    elif grep -q -- "$pattern" "$tmp/o"; then
        ok "$what: $(cat "$tmp/o")"
    else
        bad "$what: no '$pattern' in: $(cat "$tmp/o")"
    fi
}
"${cc[@]}" -o "$tmp/nopic.o" && "${ld[@]}" "$tmp/nopic.o" "$lib" -o "$tmp/nopic.elf" 2>/dev/null
refused "code compiled without -fPIC" "absolute address in code" \
    "$src/tests/modules/echo_module.json" "$tmp/nopic.elf" --sid SM_ITS=0x100
refused "a dependency without a SID" "no SID known for SM_ITS" \
    "$src/tests/modules/echo_module.json" "$build/mod_echo.elf"
sed 's/"dependencies"/"mmio_regions": [], "dependencies"/' "$src/tests/modules/echo_module.json" >"$tmp/mmio.json"
refused "a manifest with mmio_regions" "a module has none" "$tmp/mmio.json" "$build/mod_echo.elf" --sid SM_ITS=0x100
sed 's/"dependencies"/"fwu_components": ["ns"], "dependencies"/' "$src/tests/modules/echo_module.json" >"$tmp/fwu.json"
refused "a manifest with fwu_components" "fwu_components: a module has none" "$tmp/fwu.json" "$build/mod_echo.elf" --sid SM_ITS=0x100
sed 's/"entry_point": "mod_echo_main"/"entry_point": "nowhere"/' "$src/tests/modules/echo_module.json" >"$tmp/entry.json"
refused "an entry point the ELF does not have" "no entry point nowhere" "$tmp/entry.json" "$build/mod_echo.elf" --sid SM_ITS=0x100
sed 's/, "stateless_handle": 20//' "$src/tests/modules/echo_module.json" >"$tmp/handle.json"
refused "a stateless service without a fixed handle" "fixes its handle" "$tmp/handle.json" "$build/mod_echo.elf" --sid SM_ITS=0x100
grep -v '"id"' "$src/tests/modules/echo_module.json" >"$tmp/noid.json"
refused "a manifest without an id" "needs its partition id" "$tmp/noid.json" "$build/mod_echo.elf" --sid SM_ITS=0x100

[ $fails = 0 ] && echo "module pack: all passed" || echo "module pack: $fails failed"
exit $((fails != 0))
