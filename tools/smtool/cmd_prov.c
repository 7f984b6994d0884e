/*
 * cmd_prov.c: the programmer's first commands, over a device's serial line to its provisioning
 * stage (protocol/sm_prov_proto.h; docs/design/lifecycle.md, "The provisioning stage"):
 *
 *   smtool device info --port PATH [--root ROOT.pub.pem] [--timeout SECONDS]
 *   smtool lifecycle --port PATH --to STATE [--key OEM.pem] [--timeout SECONDS]
 *
 * PATH is a unix socket (smrun --port; the host device of the tests) or a serial device. One
 * request at a time, sent again every second until its answer comes or the time is up (10 s
 * by default); an answer is the one with the request's sequence number. Every answer is
 * hostile input: the parsers check it before any of it is used, the certificate against the
 * vendor's root when --root is given.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "bl_lifecycle.h"
#include "bl_otp.h"
#include "bl_status.h"
#include "mbedtls/pk.h"
#include "prov_core.h"
#include "psa/crypto.h"
#include "sm_chip_cert.h"
#include "sm_frame.h"
#include "sm_keys.h"
#include "sm_prov_proto.h"
#include "smtool.h"

#include "prov_link.h"

double smtool_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int smtool_prov_open(const char *cmd, const char *path, double until)
{
    signal(SIGPIPE, SIG_IGN); /* a line that goes away is an error to report, not a signal */
    for (;;) {
        struct stat sb;
        if (stat(path, &sb) == 0 && !S_ISSOCK(sb.st_mode)) {
            const int fd = open(path, O_RDWR | O_NOCTTY);
            if (fd < 0) {
                fprintf(stderr, "smtool %s: %s: %s\n", cmd, path, strerror(errno));
            }
            return fd;
        }
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        if (strlen(path) >= sizeof(a.sun_path)) {
            fprintf(stderr, "smtool %s: %s: the socket's path is too long\n", cmd, path);
            return -1;
        }
        strcpy(a.sun_path, path);
        const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd >= 0 && connect(fd, (const struct sockaddr *)&a, sizeof(a)) == 0) {
            return fd;
        }
        const int e = errno;
        if (fd >= 0) {
            close(fd);
        }
        if ((e != ENOENT && e != ECONNREFUSED) || smtool_now() >= until) {
            fprintf(stderr, "smtool %s: cannot connect to %s: %s\n", cmd, path, strerror(e));
            return -1;
        }
        const struct timespec pause = {0, 100 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
}

/* Sends a request until a reply of `want` type with its sequence number comes: its length, 0
 * if none came in time, -1 if the line is gone. The reply's payload is copied to `out`. */
int smtool_prov_transact(struct sm_prov_link *l, uint8_t type, const uint8_t *payload, size_t len,
                         uint8_t want, double seconds, uint8_t out[SM_FRAME_PAYLOAD_MAX])
{
    uint8_t frame[SM_FRAME_MAX];
    const size_t n = sm_frame_encode(type, l->seq, payload, len, frame, sizeof(frame));
    if (l->record != NULL && n != 0u && fwrite(frame, 1, n, l->record) != n) {
        fprintf(stderr, "smtool: cannot write the session's record\n");
        return -1;
    }
    const double end = smtool_now() + seconds;
    while (n != 0u && smtool_now() < end) {
        if (write(l->fd, frame, n) != (ssize_t)n) {
            return -1;
        }
        const double until = smtool_now() + 1.0 < end ? smtool_now() + 1.0 : end;
        for (;;) {
            const double left = until - smtool_now();
            struct pollfd p = {.fd = l->fd, .events = POLLIN};
            if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) <= 0) {
                break;
            }
            uint8_t b;
            const ssize_t r = read(l->fd, &b, 1);
            if (r <= 0) {
                return -1;
            }
            if (sm_frame_feed(&l->rx, b) == SM_FRAME_OK && l->rx.frame.seq == l->seq &&
                (l->rx.frame.type == want || l->rx.frame.type == SM_PROV_STATUS)) {
                memcpy(out, l->rx.frame.payload, l->rx.frame.len);
                l->seq++;
                return l->rx.frame.type == want ? (int)l->rx.frame.len : -2 - (int)l->rx.frame.len;
            }
        }
    }
    return 0;
}

int smtool_prov_refused(const char *cmd, const uint8_t *p, size_t len)
{
    struct sm_prov_status st;
    const struct sm_frame f = {.type = SM_PROV_STATUS, .len = (uint16_t)len, .payload = p};
    if (sm_prov_parse_status(&f, &st) != SM_PROV_OK) {
        fprintf(stderr, "smtool %s: the device's answer does not parse\n", cmd);
        return 1;
    }
    fprintf(stderr, "smtool %s: device refused: %s (%s, lifecycle %s)\n", cmd,
            sm_prov_reason_text(st.reason), bl_strerror(st.status),
            st.lifecycle != 0 ? bl_lifecycle_name(st.lifecycle) : "unknown");
    return 1;
}

/* HELLO: the device's INFO, parsed. 0, or the exit status with the reason printed. */
int smtool_prov_hello(const char *cmd, struct sm_prov_link *l, double seconds,
                      struct sm_prov_info *info, uint8_t payload[SM_FRAME_PAYLOAD_MAX])
{
    const int n = smtool_prov_transact(l, SM_PROV_HELLO, NULL, 0, SM_PROV_INFO, seconds, payload);
    if (n == 0 || n == -1) {
        fprintf(stderr,
                "smtool %s: no answer from the provisioning stage (the device is not in a "
                "provisioning state, or not there)\n",
                cmd);
        return 1;
    }
    if (n < -1) {
        return smtool_prov_refused(cmd, payload, (size_t)(-2 - n));
    }
    const struct sm_frame f = {.type = SM_PROV_INFO, .len = (uint16_t)n, .payload = payload};
    if (sm_prov_parse_info(&f, info) != SM_PROV_OK) {
        fprintf(stderr, "smtool %s: the device's INFO does not parse\n", cmd);
        return 1;
    }
    return 0;
}

struct port_opts {
    const char *port, *root, *key, *to, *record;
    double timeout;
};

static int parse_opts(int argc, char **argv, struct port_opts *o)
{
    static const struct option opts[] = {
        {"port", required_argument, NULL, 'p'},
        {"root", required_argument, NULL, 'r'},
        {"key", required_argument, NULL, 'k'},
        {"to", required_argument, NULL, 't'},
        {"timeout", required_argument, NULL, 'T'},
        {"record", required_argument, NULL, 'R'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof(*o));
    o->timeout = 10;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            o->port = optarg;
            break;
        case 'r':
            o->root = optarg;
            break;
        case 'k':
            o->key = optarg;
            break;
        case 't':
            o->to = optarg;
            break;
        case 'T':
            o->timeout = atof(optarg);
            break;
        case 'R':
            o->record = optarg;
            break;
        default:
            return -1;
        }
    }
    return optind == argc && o->port != NULL && o->timeout > 0 ? 0 : -1;
}

static void print_hex(const char *label, const uint8_t *b, size_t n)
{
    printf("%-22s", label);
    for (size_t i = 0; i < n; i++) {
        printf("%02x", b[i]);
    }
    printf("\n");
}

int smtool_device_info_port(int argc, char **argv)
{
    struct port_opts o;
    if (parse_opts(argc, argv, &o) != 0 || o.key != NULL || o.to != NULL || o.record != NULL) {
        fprintf(stderr, "usage: smtool device info --port PATH [--root ROOT.pub.pem] "
                        "[--timeout SECONDS]\n");
        return 2;
    }
    struct sm_prov_link l = {.fd = smtool_prov_open("device", o.port, smtool_now() + o.timeout),
                             .seq = 1};
    if (l.fd < 0) {
        return 1;
    }
    sm_frame_rx_init(&l.rx);
    uint8_t payload[SM_FRAME_PAYLOAD_MAX];
    struct sm_prov_info info;
    int rc = smtool_prov_hello("device", &l, o.timeout, &info, payload);
    close(l.fd);
    if (rc != 0) {
        return rc;
    }
    printf("%-22s%s (0x%04x), %u transition(s) made\n",
           "lifecycle:", bl_lifecycle_name(info.lifecycle), (unsigned)info.lifecycle,
           (unsigned)info.transitions);
    printf("%-22s%s\n", "device record:", info.flags & SM_PROV_HAS_DEVICE ? "provisioned" : "none");
    if (!(info.flags & SM_PROV_HAS_CHIP)) {
        printf("%-22s%s\n", "chip:", "none (a development device)");
        if (o.root != NULL) {
            fprintf(stderr, "smtool device: no chip certificate to check\n");
            return 1;
        }
        return 0;
    }
    struct bl_chip_cert cert;
    const char *why = NULL;
    if (sm_chip_cert_parse(info.cert, SM_PROV_CERT_SIZE, &cert, &why) != 0) {
        fprintf(stderr, "smtool device: the chip's certificate: %s\n", why);
        return 1;
    }
    print_hex("chip id:", cert.chip_id, sizeof(cert.chip_id));
    print_hex("chip key:", cert.chip_pub, sizeof(cert.chip_pub));
    print_hex("certified by:", cert.issuer, sizeof(cert.issuer));
    if (o.root != NULL) {
        uint8_t root_pub[64];
        if (sm_key_file_public(o.root, root_pub) != 0) {
            return 1;
        }
        if (sm_chip_cert_verify(&cert, root_pub, &why) != 0) {
            fprintf(stderr, "smtool device: the chip's certificate: %s\n", why);
            return 1;
        }
        printf("%-22sverified against %s\n", "certificate:", o.root);
    }
    return 0;
}

int smtool_sign_digest(const char *path, const uint8_t digest[32], uint8_t sig[64])
{
    mbedtls_pk_context pk;
    uint8_t priv[32];
    int rc = sm_key_load_private(path, &pk);
    if (rc == 0) {
        rc = sm_key_private_raw(path, &pk, priv);
    }
    mbedtls_pk_free(&pk);
    if (rc != 0 || sm_keys_init() != 0) {
        return -1;
    }
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t id;
    size_t n = 0;
    psa_set_key_type(&attr, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&attr, 256);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_SIGN_HASH);
    psa_set_key_algorithm(&attr, PSA_ALG_ECDSA(PSA_ALG_SHA_256));
    psa_status_t st = psa_import_key(&attr, priv, 32, &id);
    memset(priv, 0, sizeof(priv));
    if (st == PSA_SUCCESS) {
        st = psa_sign_hash(id, PSA_ALG_ECDSA(PSA_ALG_SHA_256), digest, 32, sig, 64, &n);
        psa_destroy_key(id);
    }
    return st == PSA_SUCCESS && n == 64 ? 0 : -1;
}

int smtool_lifecycle_port(int argc, char **argv)
{
    struct port_opts o;
    uint32_t to = 0;
    if (parse_opts(argc, argv, &o) != 0 || o.to == NULL || o.root != NULL ||
        smtool_parse_lifecycle(o.to, &to) != 0) {
        fprintf(stderr, "usage: smtool lifecycle --port PATH --to STATE [--key OEM.pem] "
                        "[--timeout SECONDS] [--record FILE]\n");
        return 2;
    }
    struct sm_prov_link l = {.fd = -1, .seq = 1};
    if (o.record != NULL && (l.record = fopen(o.record, "ab")) == NULL) {
        fprintf(stderr, "smtool lifecycle: %s: %s\n", o.record, strerror(errno));
        return 1;
    }
    l.fd = smtool_prov_open("lifecycle", o.port, smtool_now() + o.timeout);
    if (l.fd < 0) {
        if (l.record != NULL) {
            fclose(l.record);
        }
        return 1;
    }
    sm_frame_rx_init(&l.rx);
    uint8_t payload[SM_FRAME_PAYLOAD_MAX];
    struct sm_prov_info info;
    int rc = smtool_prov_hello("lifecycle", &l, o.timeout, &info, payload);
    const uint32_t from = info.lifecycle;
    struct sm_prov_request r = {.type = SM_PROV_LIFECYCLE, .to = to};
    if (rc == 0) {
        r.transitions = info.transitions;
        if (o.key != NULL) {
            /* Bound to this chip (its id, from its certificate) and to this transition. */
            uint8_t id[16] = {0}, digest[32];
            if (info.flags & SM_PROV_HAS_CHIP) {
                memcpy(id, info.cert + offsetof(struct bl_chip_cert, chip_id), 16);
            }
            bl_lifecycle_digest(id, info.transitions, to, digest);
            if (smtool_sign_digest(o.key, digest, r.sig) != 0) {
                fprintf(stderr, "smtool lifecycle: %s: cannot sign with it\n", o.key);
                rc = 1;
            }
            r.is_signed = true;
        }
    }
    if (rc == 0) {
        uint8_t req[SM_FRAME_PAYLOAD_MAX];
        const int len = sm_prov_encode_request(&r, req);
        const int n = len < 0 ? 0
                              : smtool_prov_transact(&l, SM_PROV_LIFECYCLE, req, (size_t)len,
                                                     SM_PROV_STATUS, o.timeout, payload);
        if (n <= 0) {
            fprintf(stderr, "smtool lifecycle: no answer from the device\n");
            rc = 1;
        } else {
            struct sm_prov_status st;
            const struct sm_frame f = {
                .type = SM_PROV_STATUS, .len = (uint16_t)n, .payload = payload};
            if (sm_prov_parse_status(&f, &st) != SM_PROV_OK) {
                fprintf(stderr, "smtool lifecycle: the device's answer does not parse\n");
                rc = 1;
            } else if (st.reason != SM_PROV_DONE) {
                rc = smtool_prov_refused("lifecycle", payload, (size_t)n);
            } else {
                printf("%s -> %s\n", bl_lifecycle_name(from), bl_lifecycle_name(st.lifecycle));
            }
        }
    }
    close(l.fd);
    if (l.record != NULL && fclose(l.record) != 0) {
        fprintf(stderr, "smtool lifecycle: %s: %s\n", o.record, strerror(errno));
        rc = 1;
    }
    return rc;
}

int smtool_cmd_device(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "info") == 0) {
        return smtool_device_info_port(argc - 1, argv + 1);
    }
    fprintf(stderr, "usage: smtool device info --port PATH [--root ROOT.pub.pem]\n");
    return 2;
}
