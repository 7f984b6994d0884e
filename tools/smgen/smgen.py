#!/usr/bin/env python3
"""smgen: turn secure partition manifests into the SM core's static tables.

Manifests are JSON files that follow the PSA FF-M 1.1 manifest schema (see docs/manifests.md):
name, type, priority, model, entry_point, stack_size, services, irqs, mmio_regions,
dependencies. Numbering (partition ids, stateless handles) is over every manifest of the build
(the LIB=MANIFEST arguments), so a partition compiles once for every SM image it is part of.

--headers DIR writes, for the whole build:
  psa_manifest/sid.h          each service's SID, version and (stateless) handle
  psa_manifest/pid.h          each partition's id
  psa_manifest/<file>.h       one per manifest: the partition's signals, FLIH prototypes, and
                              each service's possible clients (so it can reserve per client)
--tables DIR --image STEM,... writes, for one SM image made of the named partitions:
  sm_manifest.c               partitions, services, interrupts, threads and stacks, and the
                              connection slots, a range reserved for each client
  sm_partitions_code.ld.inc   (armv8m) one code section per partition
  sm_partitions_ram.ld.inc    (armv8m) one data+bss+stack block per partition

Every field is checked; an error names the manifest and the field and exits with status 1.
Only the Python standard library is used.
"""
import argparse
import json
import os
import re
import sys

PRIORITIES = {"HIGH": 0, "NORMAL": 1, "LOW": 2}
FLASH_AREAS = ("ITS", "FWU")  # flash areas the core can give a partition (sm_kernel.h)
FIRST_SIGNAL_BIT = 4  # bits 0..3 are reserved by FF-M (bit 3: PSA_DOORBELL)
MAX_MMIO = 2          # the context switch loads four MPU regions: code, RAM and two MMIO
NS_CONNECTIONS = 16   # connection slots reserved for the NS world (one client for the SM)
MAX_CONNECTIONS = 255 # connection slots per image (sm_conn_first is a uint8_t table)
MODULE_SLOTS = 4      # thread entries reserved for secure modules (SM_MODULE_SLOTS_MAX);
                      # --module-slots sets fewer for an image
MODULE_CONNECTIONS = 4     # connection slots reserved for each module slot's thread
MODULE_NS_CONNECTIONS = 4  # the NS world's share when only modules may offer it connections
MAX_SERVICES = 32     # built-in and module services of an image (a 32-bit dependency set)
MODULE_SERVICES_PER_SLOT = 4  # room in sm_services for the modules' services: 4 a slot on
                              # average, all slots together (16 for the board's 4)
MAX_THREADS = 32      # partitions, module slots, the NS agent and idle (a 32-bit ready set)
IDENT = re.compile(r"^[A-Z][A-Z0-9_]*$")
# PSA FWU components by name (interface/include/psa/update.h; the boot stages' image kinds).
FWU_COMPONENTS = {"urot": 1 << 0, "sm": 1 << 1, "ns": 1 << 2, "module0": 1 << 3,
                  "module1": 1 << 4, "module2": 1 << 5, "module3": 1 << 6, "modules": 0xF << 3}


class ManifestError(Exception):
    pass


def num(value, where):
    if isinstance(value, bool):
        raise ManifestError(f"{where}: expected a number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value, 0)
        except ValueError:
            pass
    raise ManifestError(f"{where}: expected a number, got {value!r}")


def ident(value, where):
    if not isinstance(value, str) or not IDENT.match(value):
        raise ManifestError(f"{where}: expected an upper-case C identifier, got {value!r}")
    return value


def require(d, key, where):
    if key not in d:
        raise ManifestError(f"{where}: missing field '{key}'")
    return d[key]


def boolean(d, key, default, where):
    v = d.get(key, default)
    if not isinstance(v, bool):
        raise ManifestError(f"{where}.{key}: expected true or false, got {v!r}")
    return v


def load(path, lib):
    try:
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise ManifestError(f"{path}: {e}")
    w = os.path.basename(path)
    known = {"name", "type", "priority", "model", "entry_point", "stack_size", "services",
             "irqs", "mmio_regions", "dependencies", "description", "id", "flash_area",
             "connections", "attestation_key", "fwu_components", "weak_dependencies"}
    for k in m:
        if k not in known:
            raise ManifestError(f"{w}: unknown field '{k}'")
    p = {"file": w, "lib": lib, "stem": os.path.splitext(w)[0]}
    p["name"] = ident(require(m, "name", w), f"{w}.name")
    if require(m, "type", w) not in ("PSA-ROT", "APPLICATION-ROT"):
        raise ManifestError(f"{w}.type: PSA-ROT or APPLICATION-ROT, not {m['type']!r}")
    if m.get("model", "IPC") != "IPC":
        raise ManifestError(f"{w}.model: only the IPC model is supported")
    prio = m.get("priority", "NORMAL")
    if prio not in PRIORITIES:
        raise ManifestError(f"{w}.priority: HIGH, NORMAL or LOW, not {prio!r}")
    p["priority"] = PRIORITIES[prio]
    entry = require(m, "entry_point", w)
    if not isinstance(entry, str) or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", entry):
        raise ManifestError(f"{w}.entry_point: expected a C function name")
    p["entry"] = entry
    p["stack"] = num(require(m, "stack_size", w), f"{w}.stack_size")
    if p["stack"] < 256 or p["stack"] % 8:
        raise ManifestError(f"{w}.stack_size: at least 256 and a multiple of 8")
    p["id"] = num(m["id"], f"{w}.id") if "id" in m else None
    if p["id"] is not None and not 0 < p["id"] < 0x7FFFFFFF:
        raise ManifestError(f"{w}.id: must be positive")
    bit = FIRST_SIGNAL_BIT
    p["services"] = []
    for i, s in enumerate(m.get("services", [])):
        sw = f"{w}.services[{i}]"
        for k in s:
            if k not in {"name", "sid", "non_secure_clients", "connection_based", "version",
                         "version_policy", "description", "stateless_handle"}:
                raise ManifestError(f"{sw}: unknown field '{k}'")
        svc = {"name": ident(require(s, "name", sw), f"{sw}.name"),
               "sid": num(require(s, "sid", sw), f"{sw}.sid"),
               "ns": boolean(s, "non_secure_clients", False, sw),
               "stateless": not boolean(s, "connection_based", True, sw),
               "version": num(s.get("version", 1), f"{sw}.version"),
               "policy": s.get("version_policy", "STRICT")}
        if svc["policy"] not in ("STRICT", "RELAXED"):
            raise ManifestError(f"{sw}.version_policy: STRICT or RELAXED")
        if not 0 <= svc["sid"] <= 0xFFFFFFFF:
            raise ManifestError(f"{sw}.sid: out of range")
        if not 1 <= svc["version"] <= (255 if svc["stateless"] else 0xFFFFFFFF):
            raise ManifestError(f"{sw}.version: 1..255 for a stateless service, else positive")
        if "stateless_handle" in s:
            svc["handle_index"] = num(s["stateless_handle"], f"{sw}.stateless_handle")
            if not svc["stateless"] or not 0 <= svc["handle_index"] < 32:
                raise ManifestError(f"{sw}.stateless_handle: 0..31, stateless services only")
        svc["signal"] = bit
        bit += 1
        p["services"].append(svc)
    p["irqs"] = []
    for i, q in enumerate(m.get("irqs", [])):
        qw = f"{w}.irqs[{i}]"
        irq = {"name": ident(require(q, "name", qw), f"{qw}.name"),
               "line": num(require(q, "source", qw), f"{qw}.source"),
               "handling": q.get("handling", "SLIH")}
        if irq["handling"] not in ("SLIH", "FLIH"):
            raise ManifestError(f"{qw}.handling: SLIH or FLIH")
        if not 0 <= irq["line"] < 480:
            raise ManifestError(f"{qw}.source: an interrupt number")
        irq["signal"] = bit
        bit += 1
        p["irqs"].append(irq)
    if bit > 32:
        raise ManifestError(f"{w}: more than {32 - FIRST_SIGNAL_BIT} services and interrupts")
    p["mmio"] = []
    for i, r in enumerate(m.get("mmio_regions", [])):
        rw = f"{w}.mmio_regions[{i}]"
        reg = {"name": ident(require(r, "name", rw), f"{rw}.name"),
               "base": num(require(r, "base", rw), f"{rw}.base"),
               "size": num(require(r, "size", rw), f"{rw}.size"),
               "ro": r.get("permission", "READ-WRITE") == "READ-ONLY"}
        if r.get("permission", "READ-WRITE") not in ("READ-ONLY", "READ-WRITE"):
            raise ManifestError(f"{rw}.permission: READ-ONLY or READ-WRITE")
        if reg["base"] % 32 or reg["size"] % 32 or reg["size"] == 0:
            raise ManifestError(f"{rw}: base and size must be multiples of 32 (MPU granule)")
        p["mmio"].append(reg)
    if len(p["mmio"]) > MAX_MMIO:
        raise ManifestError(f"{w}.mmio_regions: at most {MAX_MMIO} per partition")
    p["flash_area"] = m.get("flash_area")
    if p["flash_area"] is not None and p["flash_area"] not in FLASH_AREAS:
        raise ManifestError(f"{w}.flash_area: one of {', '.join(FLASH_AREAS)}, "
                            f"not {p['flash_area']!r}")
    # The core signs with the device's attestation key only for the partition whose manifest
    # says so (sm/sm_device.h, sm_iak_sign); the key itself never leaves the core.
    p["iak"] = m.get("attestation_key", False)
    if not isinstance(p["iak"], bool):
        raise ManifestError(f"{w}.attestation_key: true or false")
    # The firmware update components the partition may update (services/fwu/fwu_policy.h):
    # none unless named. Bit k is PSA FWU component k, the boot stages' image kind k.
    fc = m.get("fwu_components", [])
    p["fwu"] = 0
    if not isinstance(fc, list):
        raise ManifestError(f"{w}.fwu_components: expected a list of component names")
    for c in fc:
        if not isinstance(c, str) or c not in FWU_COMPONENTS:
            raise ManifestError(f"{w}.fwu_components: {c!r} is not one of "
                                f"{', '.join(FWU_COMPONENTS)}")
        if p["fwu"] & FWU_COMPONENTS[c]:
            raise ManifestError(f"{w}.fwu_components: {c} named twice")
        p["fwu"] |= FWU_COMPONENTS[c]
    deps = m.get("dependencies", [])
    if not isinstance(deps, list):
        raise ManifestError(f"{w}.dependencies: expected a list of service names")
    p["deps"] = [ident(d, f"{w}.dependencies") for d in deps]
    # As TF-M's manifests: services the partition calls when the image has them; an image
    # without one builds, and the call then finds no such service. Every image that has the
    # service lets the partition call it, as a dependency.
    weak = m.get("weak_dependencies", [])
    if not isinstance(weak, list):
        raise ManifestError(f"{w}.weak_dependencies: expected a list of service names")
    p["weak"] = [ident(d, f"{w}.weak_dependencies") for d in weak]
    if set(p["weak"]) & set(p["deps"]) or len(set(p["weak"])) != len(p["weak"]):
        raise ManifestError(f"{w}.weak_dependencies: a service named twice")
    p["deps"] += p["weak"]
    # Connections the partition may hold at once (its reservation in the SM's table); by
    # default one to each connection-based service it depends on (number_image).
    p["connections"] = None
    if "connections" in m:
        p["connections"] = num(m["connections"], f"{w}.connections")
        if not 0 <= p["connections"] <= MAX_CONNECTIONS:
            raise ManifestError(f"{w}.connections: 0..{MAX_CONNECTIONS}")
    return p


def check_all(parts):
    names, sids, snames, ids = set(), set(), {}, set()
    next_id = 1
    for p in parts:
        if p["name"] in names:
            raise ManifestError(f"{p['file']}: partition name {p['name']} used twice")
        names.add(p["name"])
        if p["id"] is None:
            while next_id in ids or any(q["id"] == next_id for q in parts):
                next_id += 1
            p["id"] = next_id
        if p["id"] in ids:
            raise ManifestError(f"{p['file']}: partition id {p['id']} used twice")
        ids.add(p["id"])
        for s in p["services"]:
            if s["sid"] in sids:
                raise ManifestError(f"{p['file']}: SID {s['sid']:#x} used twice")
            if s["name"] in snames:
                raise ManifestError(f"{p['file']}: service name {s['name']} used twice")
            sids.add(s["sid"])
            snames[s["name"]] = s
    lines = {}
    for p in parts:
        for q in p["irqs"]:
            if q["line"] in lines:
                raise ManifestError(f"{p['file']}: interrupt {q['line']} already owned by "
                                    f"{lines[q['line']]}")
            lines[q["line"]] = p["name"]
        for d in p["deps"]:
            if d not in snames:
                raise ManifestError(f"{p['file']}.dependencies: no service named {d}")
        if p["fwu"] and "SM_FWU" not in p["deps"]:
            raise ManifestError(f"{p['file']}.fwu_components: given without a dependency on "
                                f"SM_FWU")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return  # unchanged: keep the timestamp, no needless rebuild
    except OSError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


HEADER = "/* Generated by tools/smgen/smgen.py from the partition manifests. Do not edit. */\n"


def gen_sid_h(parts):
    out = [HEADER, "#ifndef PSA_MANIFEST_SID_H\n#define PSA_MANIFEST_SID_H\n\n",
           "#include \"psa/client.h\"\n\n"]
    for p in parts:
        for s in p["services"]:
            out.append(f"#define {s['name']}_SID 0x{s['sid']:08X}u\n")
            out.append(f"#define {s['name']}_VERSION {s['version']}u\n")
            if s["stateless"]:
                out.append(f"#define {s['name']}_HANDLE ((psa_handle_t)0x{0x40000000 | s['version'] << 8 | s['handle_index']:08X})\n")
    out.append("\n#endif\n")
    return "".join(out)


def gen_pid_h(parts):
    out = [HEADER, "#ifndef PSA_MANIFEST_PID_H\n#define PSA_MANIFEST_PID_H\n\n"]
    for p in parts:
        out.append(f"#define {p['name']}_PARTITION_ID {p['id']}\n")
    out.append("\n/* Every partition id of the build: the services' tables (client lists, the update "
               "policy)\n * name them in every image, so the module loader refuses a module "
               "carrying one. */\n")
    out.append(f"#define SM_BUILD_PARTITION_COUNT {len(parts)}\n")
    out.append(f"#define SM_BUILD_PARTITION_IDS {{{', '.join(str(p['id']) for p in parts)}}}\n")
    pol = [p for p in parts if p["fwu"]]
    out.append("\n/* The firmware update policy of the partitions (their manifests' fwu_components): "
               "each\n * partition id with the components it may update, bit i for component i. "
               "*/\n")
    out.append(f"#define SM_FWU_PARTITION_POLICY_COUNT {len(pol)}\n")
    items = ", ".join(f"{{{p['id']}, 0x{p['fwu']:02X}u}}" for p in pol)
    out.append(f"#define SM_FWU_PARTITION_POLICY {{{items}}}\n")
    out.append("\n#endif\n")
    return "".join(out)


def service_clients(s, parts):
    """The client ids that may call service s in some image of the build: the NS world (-1)
    if it may, then each partition whose manifest depends on s, in manifest order."""
    ids = [-1] if s["ns"] else []
    return ids + [q["id"] for q in parts if s["name"] in q["deps"]]


def gen_partition_h(p, parts):
    guard = f"PSA_MANIFEST_{p['stem'].upper()}_H"
    out = [HEADER, f"#ifndef {guard}\n#define {guard}\n\n", "#include \"psa/service.h\"\n\n"]
    for s in p["services"]:
        out.append(f"#define {s['name']}_SIGNAL (1u << {s['signal']})\n")
    for s in p["services"]:
        ids = service_clients(s, parts)
        out.append(f"/* The clients {s['name']} may have in any image of the build (a service "
                   f"can reserve\n * resources for each): the NS world (-1) and the partitions "
                   f"depending on it. */\n")
        out.append(f"#define {s['name']}_CLIENT_COUNT {len(ids)}\n")
        out.append(f"#define {s['name']}_NS_CLIENTS {1 if s['ns'] else 0} /* the first id, -1 */\n")
        out.append(f"#define {s['name']}_CLIENT_IDS {{{', '.join(map(str, ids))}}}\n")
    for q in p["irqs"]:
        out.append(f"#define {q['name']}_SIGNAL (1u << {q['signal']})\n")
    out.append(f"\nvoid {p['entry']}(void);\n")
    for q in p["irqs"]:
        if q["handling"] == "FLIH":
            out.append(f"psa_flih_result_t {q['name'].lower()}_flih(void);\n")
    out.append(f"\n#endif\n")
    return "".join(out)


def gen_manifest_c(parts):
    snames = {s["name"]: s["index"] for p in parts for s in p["services"]}
    o = [HEADER, "#include \"sm_kernel.h\"\n\n"]
    for p in parts:
        o.append(f"void {p['entry']}(void);\n")
        for q in p["irqs"]:
            if q["handling"] == "FLIH":
                o.append(f"psa_flih_result_t {q['name'].lower()}_flih(void);\n")
        o.append(f"SM_PARTITION_STACK({p['stem']}, {p['stack']});\n")
        if p["mmio"]:
            o.append(f"static const struct sm_mmio mmio_{p['stem']}[] = {{\n")
            for r in p["mmio"]:
                o.append(f"    {{0x{r['base']:08X}u, 0x{r['size']:X}u, {str(r['ro']).lower()}}}, /* {r['name']} */\n")
            o.append("};\n")
    o.append("\n/* The image's own services; the core copies them into sm_services at start, where\n"
             " * the modules' follow them. */\n")
    o.append("const struct sm_service sm_builtin_services[] = {\n")
    for pi, p in enumerate(parts):
        for s in p["services"]:
            o.append(f"    {{0x{s['sid']:08X}u, {s['version']}u, 1u << {s['signal']}, {pi}, "
                     f"SM_VERSION_{s['policy']}, {str(s['stateless']).lower()}, "
                     f"{str(s['ns']).lower()}}}, /* {s['name']} */\n")
    if not any(p["services"] for p in parts):
        o.append("    {0},\n")
    o.append("};\n")
    o.append(f"const uint32_t sm_builtin_service_count = {sum(len(p['services']) for p in parts)};\n")
    smap = [0] * 32
    for p in parts:
        for s in p["services"]:
            if s["stateless"]:
                smap[s["handle_index"]] = s["index"] + 1
    o.append("/* Stateless handle index -> service index + 1. */\n")
    o.append("const uint8_t sm_builtin_stateless_map[32] = {" + ", ".join(map(str, smap)) + "};\n")
    cap = min(MAX_SERVICES, sum(len(p['services']) for p in parts) +
              MODULE_SERVICES_PER_SLOT * MODULE_SLOTS)
    o.append("/* Filled at start: the built-in services, then the modules'. */\n")
    o.append(f"struct sm_service sm_services[{cap}];\n")
    o.append(f"struct sm_queue sm_queues[{cap}];\n")
    o.append(f"const uint32_t sm_service_capacity = {cap};\n\n")
    o.append("const struct sm_irq sm_irqs[] = {\n")
    for pi, p in enumerate(parts):
        for q in p["irqs"]:
            flih = f"{q['name'].lower()}_flih" if q["handling"] == "FLIH" else "NULL"
            o.append(f"    {{{q['line']}u, 1u << {q['signal']}, {pi}, SM_IRQ_{q['handling']}, {flih}}}, /* {q['name']} */\n")
    if not any(p["irqs"] for p in parts):
        o.append("    {0},\n")
    o.append("};\n")
    o.append(f"const uint32_t sm_irq_count = {sum(len(p['irqs']) for p in parts)};\n\n")
    o.append("const struct sm_partition sm_partitions[] = {\n")
    for p in parts:
        allowed = 0
        for d in p["image_deps"]:
            allowed |= 1 << snames[d]
        ssig = sum(1 << s["signal"] for s in p["services"])
        isig = sum(1 << q["signal"] for q in p["irqs"])
        mmio = f"mmio_{p['stem']}" if p["mmio"] else "NULL"
        o.append(f"    {{.name = \"{p['name']}\", .id = {p['id']}, .entry = {p['entry']},\n"
                 f"     .stack = SM_STACK_BASE({p['stem']}), .stack_size = SM_STACK_SIZE({p['stem']}),\n"
                 f"     .first_service = {p['first_service']}, .service_count = {len(p['services'])},\n"
                 f"     .first_irq = {p['first_irq']}, .irq_count = {len(p['irqs'])},\n"
                 f"     .mmio_count = {len(p['mmio'])}, .mmio = {mmio},\n"
                 f"     .flash_area = SM_FLASH_AREA_{p['flash_area'] or 'NONE'},"
                 f" .iak = {'true' if p['iak'] else 'false'},\n"
                 f"     .allowed_services = 0x{allowed:08X}u, .irq_signals = 0x{isig:08X}u,\n"
                 f"     .service_signals = 0x{ssig:08X}u}},\n")
    if not parts:
        o.append("    {0},\n")
    o.append("};\n")
    o.append(f"const uint32_t sm_partition_count = {len(parts)};\n")
    o.append(f"/* The partitions, {MODULE_SLOTS} module slots, the NS agent, idle. */\n")
    o.append(f"_Static_assert(SM_MODULE_SLOTS_MAX == {MODULE_SLOTS}, \"smgen's MODULE_SLOTS\");\n")
    o.append(f"struct sm_thread sm_threads[{len(parts) + MODULE_SLOTS + 2}];\n\n")
    first, n = [], 0
    for c in ([p["connections"] for p in parts] + [MODULE_CONNECTIONS] * MODULE_SLOTS +
              [image_ns_connections(parts)]):
        first.append(n)
        n += c
    first.append(n)
    o.append("/* Connection slots, reserved per client: client thread i (the partitions, the module\n"
             " * slots, then the NS agent) owns sm_conns[sm_conn_first[i] .. sm_conn_first[i + 1]). */\n")
    o.append(f"struct sm_conn sm_conns[{max(n, 1)}];\n")
    o.append(f"const uint32_t sm_conn_count = {n};\n")
    o.append("const uint8_t sm_conn_first[] = {" + ", ".join(map(str, first)) + "};\n\n")
    o.append("#ifdef SM_HAS_PARTITION_MEMORY\n")
    for p in parts:
        o.append(f"SM_PARTITION_MEMORY_DECL({p['stem']});\n")
    o.append("const struct sm_partition_memory sm_partition_memory[] = {\n")
    for p in parts:
        o.append(f"    SM_PARTITION_MEMORY({p['stem']}),\n")
    if not parts:
        o.append("    {0},\n")
    o.append("};\n#endif\n")
    return "".join(o)


def image_ns_connections(parts):
    """The NS world's reservation: NS_CONNECTIONS if a connection-based service of the image
    admits it, else a few for the connection-based services modules may bring."""
    ns = any(s["ns"] and not s["stateless"] for p in parts for s in p["services"])
    return NS_CONNECTIONS if ns else MODULE_NS_CONNECTIONS


def gen_code_ld(parts):
    o = [HEADER]
    for p in parts:
        s = p["stem"]
        o.append(f".sm_p_{s}_code : ALIGN(32)\n{{\n    __sm_p_{s}_code_start = .;\n"
                 f"    *lib{p['lib']}.a:*(.text .text.* .rodata .rodata.*)\n"
                 f"    . = ALIGN(32);\n    __sm_p_{s}_code_end = .;\n}} > CODE\n")
    return "".join(o)


def gen_ram_ld(parts):
    o = [HEADER]
    for p in parts:
        s = p["stem"]
        o.append(f".sm_p_{s}_data : ALIGN(32)\n{{\n    __sm_p_{s}_ram_start = .;\n"
                 f"    *lib{p['lib']}.a:*(.data .data.*)\n    . = ALIGN(4);\n"
                 f"}} > RAM AT > CODE\n"
                 f".sm_p_{s}_bss (NOLOAD) : ALIGN(4)\n{{\n"
                 f"    __sm_p_{s}_bss_start = .;\n"
                 f"    *lib{p['lib']}.a:*(.bss .bss.* COMMON)\n    . = ALIGN(8);\n"
                 f"    __sm_p_{s}_bss_end = .;\n"
                 f"    *(.sm_stack.{s})\n    . = ALIGN(32);\n"
                 f"    __sm_p_{s}_ram_end = .;\n}} > RAM\n")
    o.append("\n/* Data to copy and zero at start, one entry per partition. */\n")
    o.append(".sm_copy_table : ALIGN(4)\n{\n    __sm_copy_table_start = .;\n")
    for p in parts:
        s = p["stem"]
        o.append(f"    LONG(LOADADDR(.sm_p_{s}_data)) LONG(ADDR(.sm_p_{s}_data)) LONG(SIZEOF(.sm_p_{s}_data))\n")
    o.append("    __sm_copy_table_end = .;\n    __sm_zero_table_start = .;\n")
    for p in parts:
        s = p["stem"]
        o.append(f"    LONG(__sm_p_{s}_bss_start) LONG(__sm_p_{s}_bss_end - __sm_p_{s}_bss_start)\n")
    o.append("    __sm_zero_table_end = .;\n} > CODE\n")
    return "".join(o)


def number_build(parts):
    """Ids and stateless handles over every manifest of the build, in the order given."""
    check_all(parts)
    used = {s["handle_index"] for p in parts for s in p["services"] if "handle_index" in s}
    if len(used) != sum(1 for p in parts for s in p["services"] if "handle_index" in s):
        raise ManifestError("two services have the same stateless_handle")
    nxt = 0
    for p in parts:
        for s in p["services"]:
            if s["stateless"] and "handle_index" not in s:
                while nxt in used:
                    nxt += 1
                if nxt >= 32:
                    raise ManifestError("more than 32 stateless services")
                s["handle_index"] = nxt
                used.add(nxt)


def number_image(parts):
    """Service and interrupt indexes of one image, whose partitions run by priority."""
    parts.sort(key=lambda p: p["priority"])  # stable: in the order given within a priority
    si = qi = 0
    snames = {}
    for p in parts:
        p["first_service"], p["first_irq"] = si, qi
        for s in p["services"]:
            s["index"] = si
            snames[s["name"]] = si
            si += 1
        qi += len(p["irqs"])
    services = {s["name"]: s for p in parts for s in p["services"]}
    areas = {}
    # The attestation key, like a flash area, is one partition's per image (a test image may
    # give it to a test partition in place of the attestation partition).
    iak = [p["name"] for p in parts if p["iak"]]
    if len(iak) > 1:
        raise ManifestError(f"attestation_key: given to {iak[0]} and {iak[1]}; one partition "
                            f"at most")
    for p in parts:
        # The core gives an area to one partition of the image (a test image may give it to
        # another partition than the product's).
        if p["flash_area"] is not None:
            if p["flash_area"] in areas:
                raise ManifestError(f"{p['file']}.flash_area: {p['flash_area']} already given "
                                    f"to {areas[p['flash_area']]}")
            areas[p["flash_area"]] = p["name"]
        for d in p["deps"]:
            if d not in snames and d not in p["weak"]:
                raise ManifestError(f"{p['file']}.dependencies: {d} is not in this image")
        p["image_deps"] = [d for d in p["deps"] if d in snames]
        if p["connections"] is None:
            p["connections"] = sum(1 for d in p["image_deps"] if not services[d]["stateless"])
    total = (sum(p["connections"] for p in parts) + MODULE_CONNECTIONS * MODULE_SLOTS +
             image_ns_connections(parts))
    if total > MAX_CONNECTIONS:
        raise ManifestError(f"{total} connection slots: at most {MAX_CONNECTIONS} per SM image")
    if si > MAX_SERVICES:
        raise ManifestError(f"{si} services: at most {MAX_SERVICES} per SM image")
    if len(parts) > MAX_THREADS - MODULE_SLOTS - 2:
        raise ManifestError(f"at most {MAX_THREADS - MODULE_SLOTS - 2} partitions per SM image "
                            f"({MODULE_SLOTS} threads are the module slots')")


def main():
    global MODULE_SLOTS
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", choices=["armv8m", "host"], default="host")
    ap.add_argument("--headers", metavar="DIR")
    ap.add_argument("--tables", metavar="DIR")
    ap.add_argument("--module-slots", type=int, default=MODULE_SLOTS, metavar="N",
                    help=f"module slots the image reserves threads and connections for "
                         f"(0..{MODULE_SLOTS}, SM_MODULE_SLOTS_MAX of its build)")
    ap.add_argument("--image", default="", metavar="STEM,...",
                    help="the partitions of the image (manifest file names without .json)")
    ap.add_argument("partitions", nargs="*", metavar="LIB=MANIFEST",
                    help="every partition of the build: its library target and manifest")
    a = ap.parse_args()
    if not 0 <= a.module_slots <= MODULE_SLOTS:
        print(f"smgen: error: --module-slots {a.module_slots}: from 0 to {MODULE_SLOTS}",
              file=sys.stderr)
        return 1
    MODULE_SLOTS = a.module_slots
    try:
        parts = []
        for arg in a.partitions:
            lib, sep, path = arg.partition("=")
            if not sep:
                raise ManifestError(f"{arg}: expected LIB=MANIFEST")
            parts.append(load(path, lib))
        stems = [p["stem"] for p in parts]
        if len(set(stems)) != len(stems):
            raise ManifestError("two manifests have the same file name")
        number_build(parts)
        image = []
        if a.tables:
            for stem in filter(None, a.image.split(",")):
                if stem not in stems:
                    raise ManifestError(f"--image: no manifest named {stem}.json")
                image.append(parts[stems.index(stem)])
            number_image(image)
    except ManifestError as e:
        print(f"smgen: error: {e}", file=sys.stderr)
        return 1
    if a.headers:
        write(os.path.join(a.headers, "psa_manifest", "sid.h"), gen_sid_h(parts))
        write(os.path.join(a.headers, "psa_manifest", "pid.h"), gen_pid_h(parts))
        for p in parts:
            write(os.path.join(a.headers, "psa_manifest", p["stem"] + ".h"),
                  gen_partition_h(p, parts))
    if a.tables:
        write(os.path.join(a.tables, "sm_manifest.c"), gen_manifest_c(image))
        if a.arch == "armv8m":
            write(os.path.join(a.tables, "sm_partitions_code.ld.inc"), gen_code_ld(image))
            write(os.path.join(a.tables, "sm_partitions_ram.ld.inc"), gen_ram_ld(image))
    return 0


if __name__ == "__main__":
    sys.exit(main())
