/*
 * cmd_install.c: smtool install --port PATH PACKAGE --root ROOT.pub.pem --key LINE.pem
 * [--out DIR] [--timeout SECONDS]: installs an install package on a chip over its serial
 * line (docs/design/install-package.md). Asks the chip for its certificate (HELLO), checks it
 * against the vendor's root, wraps the package key (opened with the line key) for the
 * certified chip key, sends BEGIN and the chunks (with progress), and writes what the device
 * returns, the IAK's public half and the instance id, to DIR (default: the current directory)
 * as CHIPID.iak.pub.pem and CHIPID.instance-id (CHIPID: the chip id in hex). Every answer is
 * hostile input, parsed before use; a refusal is printed with the device's reason.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "bl_crypto.h"
#include "bl_status.h"
#include "mbedtls/pk.h"
#include "prov_link.h"
#include "sm_chip_cert.h"
#include "sm_keys.h"
#include "sm_pkg.h"
#include "sm_sign.h"
#include "smtool.h"

static int usage(void)
{
    fprintf(stderr, "usage: smtool install --port PATH PACKAGE --root ROOT.pub.pem --key LINE.pem "
                    "[--out DIR] [--timeout SECONDS] [--record FILE]\n");
    return 2;
}

/* The package's structure: its header, and every chunk where the header says. */
static int check_file(const uint8_t *p, size_t len, struct sm_pkg_file *f)
{
    if (len < SM_PKG_FILE_HDR || sm_pkg_parse_file(p, SM_PKG_FILE_HDR, f) != SM_PKG_OK) {
        fprintf(stderr, "smtool install: not an install package (its header does not parse)\n");
        return -1;
    }
    size_t at = SM_PKG_FILE_HDR;
    for (uint32_t i = 0; i < f->chunks; i++) {
        const size_t n = sm_pkg_chunk_size(i, f->chunks, f->length);
        struct sm_pkg_chunk c;
        if (len - at < n || sm_pkg_parse_chunk(p + at, n, f->chunks, f->length, &c) != SM_PKG_OK) {
            fprintf(stderr, "smtool install: the package is truncated or damaged at chunk %u\n",
                    (unsigned)i);
            return -1;
        }
        at += n;
    }
    if (at != len) {
        fprintf(stderr, "smtool install: %zu bytes after the package's last chunk\n", len - at);
        return -1;
    }
    return 0;
}

static int write_result(const char *dir, const uint8_t chip_id[16], const uint8_t iak_pub[64])
{
    char path[1024], line[2 * 33 + 2], name[2 * 16 + 1];
    for (size_t i = 0; i < 16; i++) {
        snprintf(name + 2 * i, 3, "%02x", chip_id[i]);
    }
    uint8_t point[65], id[33];
    point[0] = 0x04;
    memcpy(point + 1, iak_pub, 64);
    id[0] = 0x01; /* the instance id: 0x01 || SHA-256(0x04 || IAK public key) */
    bl_sha256(point, sizeof(point), id + 1);
    for (size_t i = 0; i < sizeof(id); i++) {
        snprintf(line + 2 * i, 3, "%02x", id[i]);
    }
    line[2 * sizeof(id)] = '\n';
    line[2 * sizeof(id) + 1] = '\0';
    /* Named by the chip, so a line's directory holds every chip's, none overwritten. */
    snprintf(path, sizeof(path), "%s/%s.iak.pub.pem", dir, name);
    if (sm_key_write_public_pem("install", path, iak_pub) != 0) {
        return -1;
    }
    printf("%-22s%s\n", "IAK public key:", path);
    snprintf(path, sizeof(path), "%s/%s.instance-id", dir, name);
    if (smtool_write_file("install", path, line, strlen(line)) != 0) {
        return -1;
    }
    printf("%-22s%s", "instance id:", line);
    return 0;
}

/* One request and its answer: 0 when done (RESULT copied out for the last chunk), else the
 * exit status with the reason printed. */
static int send_one(struct sm_prov_link *l, uint8_t type, const uint8_t *req, size_t len,
                    double timeout, uint8_t iak_pub[64], size_t *sent)
{
    uint8_t payload[SM_FRAME_PAYLOAD_MAX];
    const uint8_t want = type == SM_PROV_CHUNK && iak_pub != NULL ? SM_PROV_RESULT : SM_PROV_STATUS;
    const int n = smtool_prov_transact(l, type, req, len, want, timeout, payload);
    *sent += len + 10u;
    if (n == 0 || n == -1) {
        fprintf(stderr, "\nsmtool install: no answer from the device\n");
        return 1;
    }
    int sn = n;
    if (n < -1) {
        sn = -2 - n; /* a STATUS where a RESULT was wanted: a refusal */
    }
    struct sm_prov_status st;
    const struct sm_frame f = {.type = SM_PROV_STATUS, .len = (uint16_t)sn, .payload = payload};
    if (want == SM_PROV_RESULT && n > 0) {
        struct sm_prov_result r;
        const struct sm_frame rf = {.type = SM_PROV_RESULT, .len = (uint16_t)n, .payload = payload};
        if (sm_prov_parse_result(&rf, &r) != SM_PROV_OK) {
            fprintf(stderr, "\nsmtool install: the device's RESULT does not parse\n");
            return 1;
        }
        memcpy(iak_pub, r.iak_pub, 64);
        return 0;
    }
    if (sm_prov_parse_status(&f, &st) != SM_PROV_OK) {
        fprintf(stderr, "\nsmtool install: the device's answer does not parse\n");
        return 1;
    }
    if (st.reason != SM_PROV_DONE || want == SM_PROV_RESULT) {
        fprintf(stderr, "\n");
        return smtool_prov_refused("install", payload, (size_t)sn);
    }
    return 0;
}

int smtool_cmd_install(int argc, char **argv)
{
    static const struct option opts[] = {{"port", required_argument, NULL, 'p'},
                                         {"root", required_argument, NULL, 'r'},
                                         {"key", required_argument, NULL, 'k'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"timeout", required_argument, NULL, 'T'},
                                         {"record", required_argument, NULL, 'R'},
                                         {NULL, 0, NULL, 0}};
    const char *port = NULL, *root = NULL, *key = NULL, *out = ".", *record = NULL;
    double timeout = 10;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            port = optarg;
            break;
        case 'r':
            root = optarg;
            break;
        case 'k':
            key = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'T':
            timeout = atof(optarg);
            break;
        case 'R':
            record = optarg;
            break;
        default:
            return usage();
        }
    }
    if (port == NULL || root == NULL || key == NULL || optind != argc - 1 || timeout <= 0) {
        return usage();
    }
    const char *pkg_path = argv[optind];
    uint8_t *pkg = NULL, root_pub[64], line_priv[32], pkg_key[32];
    size_t pkg_len = 0;
    struct sm_pkg_file f;
    if (sm_keys_init() != 0 ||
        smtool_read_file("install", pkg_path, SM_PKG_FILE_HDR + SM_PKG_STREAM_MAX * 2u, &pkg,
                         &pkg_len) != 0) {
        return 1;
    }
    int rc = check_file(pkg, pkg_len, &f) == 0 && sm_key_file_public(root, root_pub) == 0 ? 0 : 1;
    if (rc == 0) {
        mbedtls_pk_context pk;
        rc = sm_key_load_private(key, &pk) == 0 && sm_key_private_raw(key, &pk, line_priv) == 0 ? 0
                                                                                                : 1;
        mbedtls_pk_free(&pk);
    }
    if (rc == 0 && bl_ecies_p256_unwrap(line_priv, f.line_wrap, 32, pkg_key) != 0) {
        fprintf(stderr, "smtool install: %s: the package is not wrapped for this line key\n", key);
        rc = 1;
    }
    bl_zeroize(line_priv, sizeof(line_priv));
    struct sm_prov_link l = {.fd = -1, .seq = 1};
    uint8_t payload[SM_FRAME_PAYLOAD_MAX];
    struct sm_prov_info info;
    struct bl_chip_cert cert;
    const char *why = NULL;
    if (rc == 0 && record != NULL && (l.record = fopen(record, "ab")) == NULL) {
        fprintf(stderr, "smtool install: %s: %s\n", record, strerror(errno));
        rc = 1;
    }
    if (rc == 0) {
        l.fd = smtool_prov_open("install", port, smtool_now() + timeout);
        rc = l.fd < 0 ? 1 : 0;
        sm_frame_rx_init(&l.rx);
    }
    if (rc == 0) {
        rc = smtool_prov_hello("install", &l, timeout, &info, payload);
    }
    if (rc == 0 && !(info.flags & SM_PROV_HAS_CHIP)) {
        fprintf(stderr, "smtool install: the device has no chip certificate (a development "
                        "device: smtool provision)\n");
        rc = 1;
    }
    if (rc == 0 && (sm_chip_cert_parse(info.cert, SM_PROV_CERT_SIZE, &cert, &why) != 0 ||
                    sm_chip_cert_verify(&cert, root_pub, &why) != 0)) {
        fprintf(stderr, "smtool install: the chip's certificate: %s\n", why);
        rc = 1;
    }
    struct sm_prov_request r = {.type = SM_PROV_BEGIN, .chunks = f.chunks, .length = f.length};
    if (rc == 0) {
        memcpy(r.id, f.id, sizeof(r.id));
        memcpy(r.begin_tag, f.begin_tag, sizeof(r.begin_tag));
        if (sm_ecies_wrap(cert.chip_pub, pkg_key, sizeof(pkg_key), r.wrap) != 0) {
            fprintf(stderr, "smtool install: cannot wrap the package key for the chip\n");
            rc = 1;
        }
    }
    bl_zeroize(pkg_key, sizeof(pkg_key));
    size_t sent = 0;
    uint8_t iak_pub[64];
    if (rc == 0) {
        uint8_t req[SM_FRAME_PAYLOAD_MAX];
        const int n = sm_prov_encode_request(&r, req);
        rc = n < 0 ? 1 : send_one(&l, SM_PROV_BEGIN, req, (size_t)n, timeout, NULL, &sent);
    }
    size_t at = SM_PKG_FILE_HDR;
    for (uint32_t i = 0; rc == 0 && i < f.chunks; i++) {
        const size_t n = sm_pkg_chunk_size(i, f.chunks, f.length);
        rc = send_one(&l, SM_PROV_CHUNK, pkg + at, n, timeout, i + 1 == f.chunks ? iak_pub : NULL,
                      &sent);
        at += n;
        if (rc == 0) {
            fprintf(stderr, "\rinstall: chunk %u/%u", (unsigned)(i + 1), (unsigned)f.chunks);
        }
    }
    if (rc == 0) {
        fprintf(stderr, "\n");
        printf("%-22s", "installed on chip:");
        for (size_t i = 0; i < sizeof(cert.chip_id); i++) {
            printf("%02x", cert.chip_id[i]);
        }
        printf("\n%-22s%zu bytes for %u bytes of package stream\n", "sent:", sent,
               (unsigned)f.length);
        rc = write_result(out, cert.chip_id, iak_pub) == 0 ? 0 : 1;
    }
    if (l.fd >= 0) {
        close(l.fd);
    }
    if (l.record != NULL && fclose(l.record) != 0) {
        fprintf(stderr, "smtool install: %s: %s\n", record, strerror(errno));
        rc = 1;
    }
    free(pkg);
    return rc;
}
