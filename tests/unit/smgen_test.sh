#!/usr/bin/env bash
# smgen_test.sh SMGEN: the manifest tool refuses each kind of bad manifest with a message that
# names it, and writes the tables and headers for good ones.
set -uo pipefail
smgen=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
good='{"name": "P_A", "type": "APPLICATION-ROT", "entry_point": "a_main", "stack_size": "0x400",
       "services": [{"name": "SVC_A", "sid": "0x100", "non_secure_clients": true}]}'
echo "$good" > "$tmp/a.json"
# expect_error NAME MESSAGE MANIFEST_JSON [smgen options]
expect_error() {
    local name=$1 msg=$2 json=$3
    shift 3
    echo "$json" > "$tmp/$name.json"
    out=$(python3 "$smgen" --tables "$tmp/out" "$@" "lib_a=$tmp/a.json" "lib_b=$tmp/$name.json" 2>&1)
    if [ $? -eq 0 ] || ! grep -q -- "$msg" <<<"$out"; then
        echo "FAIL: $name: expected an error with '$msg', got: $out"
        fails=$((fails + 1))
    fi
}
base='"type": "APPLICATION-ROT", "entry_point": "b_main", "stack_size": "0x400"'
expect_error unknown_field "unknown field 'colour'" "{\"name\": \"P_B\", $base, \"colour\": 1}"
expect_error dup_sid "SID 0x100 used twice" \
    "{\"name\": \"P_B\", $base, \"services\": [{\"name\": \"SVC_B\", \"sid\": 256}]}"
expect_error dup_name "partition name P_A used twice" "{\"name\": \"P_A\", $base}"
expect_error bad_dep "no service named NOPE" "{\"name\": \"P_B\", $base, \"dependencies\": [\"NOPE\"]}"
expect_error bad_stack "stack_size" \
    '{"name": "P_B", "type": "PSA-ROT", "entry_point": "b", "stack_size": 100}'
expect_error bad_type "type" '{"name": "P_B", "type": "ROT", "entry_point": "b", "stack_size": 512}'
expect_error mmio_align "multiples of 32" \
    "{\"name\": \"P_B\", $base, \"mmio_regions\": [{\"name\": \"R\", \"base\": 4, \"size\": 32}]}"
expect_error mmio_many "at most 2" "{\"name\": \"P_B\", $base, \"mmio_regions\": [
    {\"name\": \"R\", \"base\": 0, \"size\": 32}, {\"name\": \"S\", \"base\": 64, \"size\": 32},
    {\"name\": \"T\", \"base\": 128, \"size\": 32}]}"
expect_error irq_handling "SLIH or FLIH" \
    "{\"name\": \"P_B\", $base, \"irqs\": [{\"source\": 5, \"name\": \"I\", \"handling\": \"FAST\"}]}"
expect_error stateless_version "stateless" "{\"name\": \"P_B\", $base, \"services\": [
    {\"name\": \"SVC_B\", \"sid\": 7, \"connection_based\": false, \"version\": 300}]}"
expect_error not_json "Expecting" "{name"
expect_error flash_area "flash_area: one of ITS" "{\"name\": \"P_B\", $base, \"flash_area\": \"BOOT\"}"
echo '{"name": "P_C", "type": "PSA-ROT", "entry_point": "c", "stack_size": 512, "flash_area": "ITS"}' \
    > "$tmp/c.json"
expect_error flash_area_twice "ITS already given to P_C" \
    "{\"name\": \"P_B\", $base, \"flash_area\": \"ITS\"}" --image=c,flash_area_twice \
    "lib_c=$tmp/c.json"
# The same area in two images of one build, each giving it to one partition: accepted.
echo '{"name": "P_E", "type": "PSA-ROT", "entry_point": "e", "stack_size": 512, "flash_area": "ITS"}' \
    > "$tmp/e.json"
python3 "$smgen" --tables "$tmp/out" --image=a,e "lib_a=$tmp/a.json" "lib_c=$tmp/c.json" \
    "lib_e=$tmp/e.json" >/dev/null 2>&1 ||
    { echo "FAIL: an area given once per image was refused"; fails=$((fails + 1)); }
expect_error iak_type "attestation_key: true or false" \
    "{\"name\": \"P_B\", $base, \"attestation_key\": \"yes\"}"
echo '{"name": "P_D", "type": "PSA-ROT", "entry_point": "d", "stack_size": 512, "attestation_key": true}' \
    > "$tmp/d.json"
expect_error iak_twice "one partition at most" \
    "{\"name\": \"P_B\", $base, \"attestation_key\": true}" --image=d,iak_twice "lib_d=$tmp/d.json"
# The key in two images of one build, each giving it to one partition: accepted.
python3 "$smgen" --tables "$tmp/out" --image=a,d "lib_a=$tmp/a.json" "lib_d=$tmp/d.json" \
    "lib_b=$tmp/iak_twice.json" >/dev/null 2>&1 ||
    { echo "FAIL: the attestation key given once per image was refused"; fails=$((fails + 1)); }
# The update policy of a partition (fwu_components): known names, each once, with SM_FWU.
echo '{"name": "P_F", "type": "PSA-ROT", "entry_point": "f", "stack_size": 512,
       "services": [{"name": "SM_FWU", "sid": "0x200"}]}' > "$tmp/f.json"
expect_error fwu_name "fwu_components: 'bootloader' is not one of" \
    "{\"name\": \"P_B\", $base, \"fwu_components\": [\"bootloader\"], \"dependencies\": [\"SM_FWU\"]}" \
    "lib_f=$tmp/f.json"
expect_error fwu_twice "fwu_components: modules named twice" \
    "{\"name\": \"P_B\", $base, \"fwu_components\": [\"module1\", \"modules\"], \"dependencies\": [\"SM_FWU\"]}" \
    "lib_f=$tmp/f.json"
expect_error fwu_type "fwu_components: expected a list" \
    "{\"name\": \"P_B\", $base, \"fwu_components\": \"ns\", \"dependencies\": [\"SM_FWU\"]}" \
    "lib_f=$tmp/f.json"
expect_error fwu_no_dep "given without a dependency on SM_FWU" \
    "{\"name\": \"P_B\", $base, \"fwu_components\": [\"ns\"]}" "lib_f=$tmp/f.json"
echo "{\"name\": \"P_G\", $base, \"id\": 77, \"fwu_components\": [\"ns\", \"module2\"],
       \"dependencies\": [\"SM_FWU\"]}" > "$tmp/g.json"
if python3 "$smgen" --headers "$tmp/incf" "lib_a=$tmp/a.json" "lib_f=$tmp/f.json" \
    "lib_g=$tmp/g.json" >/dev/null 2>&1; then
    grep -q "#define SM_FWU_PARTITION_POLICY {{77, 0x24u}}" "$tmp/incf/psa_manifest/pid.h" &&
        grep -q "#define SM_FWU_PARTITION_POLICY_COUNT 1" "$tmp/incf/psa_manifest/pid.h" ||
        { echo "FAIL: the update policy in pid.h"; fails=$((fails + 1)); }
    # Every partition of the build, for the module loader (ids the images' services all name).
    grep -q "#define SM_BUILD_PARTITION_COUNT 3" "$tmp/incf/psa_manifest/pid.h" &&
        grep -Eq "#define SM_BUILD_PARTITION_IDS \{[0-9]+, [0-9]+, 77\}" "$tmp/incf/psa_manifest/pid.h" ||
        { echo "FAIL: the build's partition ids in pid.h"; fails=$((fails + 1)); }
else
    echo "FAIL: a partition with fwu_components was refused"
    fails=$((fails + 1))
fi
# A weak dependency: an image without the service builds; one with it lets the partition call it.
echo "{\"name\": \"P_W\", $base, \"weak_dependencies\": [\"SVC_A\"]}" > "$tmp/w.json"
python3 "$smgen" --tables "$tmp/outw" --image=w,e "lib_a=$tmp/a.json" "lib_e=$tmp/e.json" \
    "lib_w=$tmp/w.json" >/dev/null 2>&1 ||
    { echo "FAIL: an image without a weak dependency's service was refused"; fails=$((fails + 1)); }
echo "{\"name\": \"P_V\", $base, \"dependencies\": [\"SVC_A\"]}" > "$tmp/v.json"
expect_error weak_strong "dependencies: SVC_A is not in this image" \
    "{\"name\": \"P_V\", $base, \"dependencies\": [\"SVC_A\"]}" --image=weak_strong
expect_error weak_twice "weak_dependencies: a service named twice" \
    "{\"name\": \"P_B\", $base, \"dependencies\": [\"SVC_A\"], \"weak_dependencies\": [\"SVC_A\"]}"
expect_error weak_unknown "no service named NOPE" \
    "{\"name\": \"P_B\", $base, \"weak_dependencies\": [\"NOPE\"]}"
# A good build: headers and tables.
echo "{\"name\": \"P_B\", $base, \"dependencies\": [\"SVC_A\"],
       \"services\": [{\"name\": \"SVC_B\", \"sid\": 7, \"connection_based\": false}],
       \"irqs\": [{\"source\": 2, \"name\": \"TICK\", \"handling\": \"FLIH\"}],
       \"flash_area\": \"ITS\"}" > "$tmp/b.json"
if ! python3 "$smgen" --arch armv8m --headers "$tmp/inc" --tables "$tmp/tab" --image a,b \
    "lib_a=$tmp/a.json" "lib_b=$tmp/b.json"; then
    echo "FAIL: a good pair of manifests was refused"
    fails=$((fails + 1))
fi
grep -q "#define SVC_B_HANDLE ((psa_handle_t)0x40000100)" "$tmp/inc/psa_manifest/sid.h" ||
    { echo "FAIL: stateless handle"; fails=$((fails + 1)); }
grep -q "#define SVC_A_SIGNAL (1u << 4)" "$tmp/inc/psa_manifest/a.h" ||
    { echo "FAIL: service signal"; fails=$((fails + 1)); }
grep -q "liblib_b.a:\*(.text" "$tmp/tab/sm_partitions_code.ld.inc" ||
    { echo "FAIL: linker fragment"; fails=$((fails + 1)); }
grep -q "allowed_services = 0x00000001u" "$tmp/tab/sm_manifest.c" ||
    { echo "FAIL: dependency set"; fails=$((fails + 1)); }
grep -q "flash_area = SM_FLASH_AREA_ITS" "$tmp/tab/sm_manifest.c" ||
    { echo "FAIL: flash area"; fails=$((fails + 1)); }
grep -q "psa_flih_result_t tick_flih(void);" "$tmp/inc/psa_manifest/b.h" ||
    { echo "FAIL: FLIH prototype"; fails=$((fails + 1)); }
grep -q "{2u, 1u << 5, 1, SM_IRQ_FLIH, tick_flih}" "$tmp/tab/sm_manifest.c" ||
    { echo "FAIL: FLIH table entry"; fails=$((fails + 1)); }
# Connection slots reserved per client: P_A none, P_B one (its one connection-based
# dependency), each of the 4 module slots 4, the NS world 16 (SVC_A admits it); SVC_A's
# clients are the NS world and P_B.
grep -q "const uint8_t sm_conn_first\[\] = {0, 0, 1, 5, 9, 13, 17, 33};" "$tmp/tab/sm_manifest.c" ||
    { echo "FAIL: connection reservations"; fails=$((fails + 1)); }
grep -q "struct sm_thread sm_threads\[8\];" "$tmp/tab/sm_manifest.c" ||
    { echo "FAIL: threads: 2 partitions, 4 module slots, NS agent, idle"; fails=$((fails + 1)); }
grep -q "struct sm_conn sm_conns\[33\];" "$tmp/tab/sm_manifest.c" ||
    { echo "FAIL: connection table size"; fails=$((fails + 1)); }
grep -q "#define SVC_A_CLIENT_IDS {-1, 2}" "$tmp/inc/psa_manifest/a.h" &&
    grep -q "#define SVC_A_CLIENT_COUNT 2" "$tmp/inc/psa_manifest/a.h" &&
    grep -q "#define SVC_A_NS_CLIENTS 1" "$tmp/inc/psa_manifest/a.h" ||
    { echo "FAIL: service clients"; fails=$((fails + 1)); }
# A manifest's own "connections"; and none for the NS world when nothing admits it.
sed -i 's/"flash_area": "ITS"}/"flash_area": "ITS", "connections": 5}/' "$tmp/b.json"
python3 "$smgen" --tables "$tmp/tab2" --image a,b "lib_a=$tmp/a.json" "lib_b=$tmp/b.json" &&
    grep -q "const uint8_t sm_conn_first\[\] = {0, 0, 5, 9, 13, 17, 21, 37};" "$tmp/tab2/sm_manifest.c" ||
    { echo "FAIL: connections field"; fails=$((fails + 1)); }
echo '{"name": "P_D", "type": "PSA-ROT", "entry_point": "d", "stack_size": 512, "services":
      [{"name": "SVC_D", "sid": 9, "non_secure_clients": true, "connection_based": false}]}' \
    > "$tmp/d.json"
python3 "$smgen" --tables "$tmp/tab3" --image d "lib_d=$tmp/d.json" &&
    grep -q "const uint8_t sm_conn_first\[\] = {0, 0, 4, 8, 12, 16, 20};" "$tmp/tab3/sm_manifest.c" ||
    { echo "FAIL: the NS world's small share (for modules) without a connection-based service"; fails=$((fails + 1)); }
# An image reserving two module slots (the product profile's): two module threads, two module
# connection shares, and its static check of SM_MODULE_SLOTS_MAX says 2; out of range refused.
python3 "$smgen" --tables "$tmp/tab4" --module-slots 2 --image d "lib_d=$tmp/d.json" &&
    grep -q "const uint8_t sm_conn_first\[\] = {0, 0, 4, 8, 12};" "$tmp/tab4/sm_manifest.c" &&
    grep -q "struct sm_thread sm_threads\[5\];" "$tmp/tab4/sm_manifest.c" &&
    grep -q "SM_MODULE_SLOTS_MAX == 2," "$tmp/tab4/sm_manifest.c" ||
    { echo "FAIL: --module-slots 2"; fails=$((fails + 1)); }
out=$(python3 "$smgen" --tables "$tmp/tab5" --module-slots 5 --image d "lib_d=$tmp/d.json" 2>&1) &&
    { echo "FAIL: --module-slots 5 accepted"; fails=$((fails + 1)); }
grep -q -- "--module-slots 5: from 0 to 4" <<<"$out" ||
    { echo "FAIL: --module-slots 5: $out"; fails=$((fails + 1)); }
expect_error connections_range "connections: 0..255" "{\"name\": \"P_B\", $base, \"connections\": 300}"
[ $fails = 0 ] && echo "smgen: all checks passed"
exit $((fails > 0))
