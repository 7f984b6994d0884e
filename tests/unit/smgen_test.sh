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
    "{\"name\": \"P_B\", $base, \"attestation_key\": true}" "lib_d=$tmp/d.json"
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
