/*
 * cmd_update.c: smtool update --port PATH [--component NAME] IMAGE: streams a signed image to a
 * running device over its serial line, to the NS updater (ns/examples/updater), with the
 * messages of protocol/sm_update_proto.h in sm_frame frames (docs/design/serial-frames.md).
 *
 * PATH is a unix socket (tools/smrun --port; one that is not there yet is waited for, up to
 * 30 seconds) or a serial device (a tty or pty, set raw at 115,200 baud). The steps: HELLO (the
 * device's components, states and versions), CLEAN if the component holds a download left by an
 * earlier attempt, START, DATA blocks in order, FINISH (the device verifies the image), INSTALL,
 * REBOOT; then HELLO again until the device answers from a later boot, where the updater has
 * self-tested and accepted the new version (or rejected it, and the boot stage reverted it).
 *
 * One request at a time: each is sent again, with the same sequence number, when its answer
 * does not come within a second (a frame lost or garbled on the line; the device answers a
 * repeat without doing it twice), until the step's time is up. The device's own text lines on
 * the same line are shown on stderr as "device: ..." (printable characters only), unless -q.
 * Progress and errors go to stderr; the exit status is 0 once the device runs the new image
 * accepted, 1 if it refused the image or did not come back with it, 2 for a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "bl_image.h"
#include "bl_reader.h"
#include "bl_status.h"
#include "psa/error.h"
#include "psa/update.h"
#include "sm_frame.h"
#include "sm_update_proto.h"
#include "smtool.h"

#define RETRY_SECONDS 1.0 /* a request unanswered this long is sent again */

static const char *const component_names[SM_UP_COMPONENT_MAX] = {"urot", "sm",   "ns",  "mod0",
                                                                 "mod1", "mod2", "mod3"};
static const char *const state_names[] = {"READY",  "WRITING", "CANDIDATE", "STAGED",
                                          "FAILED", "TRIAL",   "REJECTED",  "UPDATED"};

struct link {
    int fd;
    struct sm_frame_rx rx;
    uint8_t seq;
    int quiet;
    char line[128];
    size_t line_len;
    unsigned sent_frames, resent_frames, damaged_frames;
    size_t sent_bytes;
    size_t update_bytes; /* each request once, HELLO to REBOOT: the protocol's cost */
    int counting;
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static const char *psa_name(int32_t s)
{
    static char other[32];
    switch (s) {
    case PSA_SUCCESS:
        return "PSA_SUCCESS";
    case PSA_SUCCESS_REBOOT:
        return "PSA_SUCCESS_REBOOT";
    case PSA_ERROR_GENERIC_ERROR:
        return "PSA_ERROR_GENERIC_ERROR";
    case PSA_ERROR_NOT_PERMITTED:
        return "PSA_ERROR_NOT_PERMITTED";
    case PSA_ERROR_NOT_SUPPORTED:
        return "PSA_ERROR_NOT_SUPPORTED";
    case PSA_ERROR_INVALID_ARGUMENT:
        return "PSA_ERROR_INVALID_ARGUMENT";
    case PSA_ERROR_BAD_STATE:
        return "PSA_ERROR_BAD_STATE";
    case PSA_ERROR_DOES_NOT_EXIST:
        return "PSA_ERROR_DOES_NOT_EXIST";
    case PSA_ERROR_INSUFFICIENT_MEMORY:
        return "PSA_ERROR_INSUFFICIENT_MEMORY";
    case PSA_ERROR_INSUFFICIENT_STORAGE:
        return "PSA_ERROR_INSUFFICIENT_STORAGE";
    case PSA_ERROR_INSUFFICIENT_DATA:
        return "PSA_ERROR_INSUFFICIENT_DATA";
    case PSA_ERROR_SERVICE_FAILURE:
        return "PSA_ERROR_SERVICE_FAILURE";
    case PSA_ERROR_STORAGE_FAILURE:
        return "PSA_ERROR_STORAGE_FAILURE";
    case PSA_ERROR_INVALID_SIGNATURE:
        return "PSA_ERROR_INVALID_SIGNATURE";
    case PSA_ERROR_DEPENDENCY_NEEDED:
        return "PSA_ERROR_DEPENDENCY_NEEDED";
    case PSA_ERROR_FLASH_ABUSE:
        return "PSA_ERROR_FLASH_ABUSE";
    case PSA_ERROR_INSUFFICIENT_POWER:
        return "PSA_ERROR_INSUFFICIENT_POWER";
    default:
        snprintf(other, sizeof(other), "status %d", (int)s);
        return other;
    }
}

/* What a refusal most likely means, for the person reading it. */
static const char *hint(uint8_t request, const struct sm_up_status *st)
{
    switch (st->reason) {
    case SM_UP_E_MALFORMED:
        return "the updater could not parse the request";
    case SM_UP_E_NO_SESSION:
        return "the device restarted during the update";
    case SM_UP_E_NOT_STARTED:
        return "the updater has no download of this component under way";
    case SM_UP_E_BOUNDS:
        return "the updater: outside the size or the component's maximum";
    case SM_UP_E_INCOMPLETE:
        return "the updater did not receive the whole image";
    case SM_UP_E_UNKNOWN:
        return "the updater does not know this request";
    default:
        break;
    }
    if (request == SM_UP_FINISH) {
        switch (st->status) {
        case PSA_ERROR_INVALID_SIGNATURE:
            return "not signed with the device's key for this component, or not encrypted for "
                   "this device";
        case PSA_ERROR_NOT_PERMITTED:
            return "a security counter below the device's (a rollback), or not encrypted as the "
                   "device requires";
        case PSA_ERROR_INVALID_ARGUMENT:
            return "not a valid image";
        default:
            break;
        }
    }
    if (st->status == PSA_ERROR_DEPENDENCY_NEEDED) {
        return "an image this one depends on is not on the device";
    }
    if (st->status == PSA_ERROR_BAD_STATE) {
        return "the component is not in a state that allows this";
    }
    return NULL;
}

/* A byte the frame decoder skipped: part of the device's text, shown line by line. */
static void text_byte(struct link *l, uint8_t b)
{
    if (b == '\n') {
        if (l->line_len != 0u && !l->quiet) {
            fprintf(stderr, "device: %.*s\n", (int)l->line_len, l->line);
        }
        l->line_len = 0;
    } else if (b >= 0x20 && b < 0x7F && l->line_len < sizeof(l->line)) {
        l->line[l->line_len++] = (char)b;
    }
}

/* The next whole frame by `until`: 1 (in *f, valid until the next call), 0 none, -1 the line
 * is gone. */
static int recv_frame(struct link *l, double until, struct sm_frame *f)
{
    for (;;) {
        const double left = until - now();
        if (left <= 0) {
            return 0;
        }
        struct pollfd p = {.fd = l->fd, .events = POLLIN};
        const int rc = poll(&p, 1, (int)(left * 1000) + 1);
        if (rc < 0 && errno == EINTR) {
            continue;
        }
        if (rc <= 0) {
            return rc == 0 ? 0 : -1;
        }
        uint8_t b;
        const ssize_t n = read(l->fd, &b, 1);
        if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
            return -1;
        }
        if (n != 1) {
            continue;
        }
        const int between = sm_frame_between(&l->rx);
        const uint32_t skipped = l->rx.skipped;
        const enum sm_frame_status fs = sm_frame_feed(&l->rx, b);
        if (fs == SM_FRAME_OK) {
            *f = l->rx.frame;
            return 1;
        }
        l->damaged_frames += fs != SM_FRAME_MORE ? 1u : 0u; /* a CRC or length error */
        if (between && l->rx.skipped != skipped && b != SM_FRAME_SOF0) {
            text_byte(l, b);
        }
    }
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n != 0u) {
        const ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

enum { T_OK = 0, T_TIMEOUT = 1, T_LINK = -1 };

/* Sends a request until its answer comes (INFO for HELLO, a STATUS of that request otherwise)
 * or `seconds` pass. */
static int transact(struct link *l, const struct sm_up_request *r, double seconds,
                    struct sm_up_info *info, struct sm_up_status *st)
{
    uint8_t payload[SM_FRAME_PAYLOAD_MAX];
    uint8_t frame[SM_FRAME_MAX];
    const int len = sm_up_encode_request(r, payload);
    const size_t n =
        len < 0 ? 0 : sm_frame_encode(r->type, l->seq, payload, (size_t)len, frame, sizeof(frame));
    if (n == 0u) {
        fprintf(stderr, "smtool update: internal error: a request that does not encode\n");
        return T_LINK;
    }
    const double end = now() + seconds;
    for (int first = 1;; first = 0) {
        if (write_all(l->fd, frame, n) != 0) {
            return T_LINK;
        }
        l->sent_frames++;
        l->sent_bytes += n;
        l->update_bytes += first && l->counting ? n : 0u;
        l->resent_frames += first ? 0u : 1u;
        const double until = now() + RETRY_SECONDS < end ? now() + RETRY_SECONDS : end;
        struct sm_frame f;
        int rc;
        while ((rc = recv_frame(l, until, &f)) == 1) {
            if (f.seq != l->seq) {
                continue; /* an answer to an earlier request, sent again */
            }
            if (r->type == SM_UP_HELLO
                    ? sm_up_parse_info(&f, info) == SM_UP_OK
                    : sm_up_parse_status(&f, st) == SM_UP_OK && st->request == r->type) {
                l->seq++;
                return T_OK;
            }
        }
        if (rc < 0) {
            return T_LINK;
        }
        if (now() >= end) {
            return T_TIMEOUT;
        }
    }
}

/* A socket that is not there yet, or not listening yet (smrun starting), is waited for until
 * `until`. */
static int open_port(const char *path, double until)
{
    struct stat sb;
    int said = 0;
    for (;;) {
        const int st = stat(path, &sb);
        if (st == 0 && !S_ISSOCK(sb.st_mode)) {
            break; /* a serial device */
        }
        if (st != 0) {
            if (errno != ENOENT || now() >= until) {
                fprintf(stderr, "smtool update: %s: %s (start the board with smrun --port %s)\n",
                        path, strerror(errno), path);
                return -1;
            }
            if (!said) {
                fprintf(stderr, "smtool update: waiting for %s (smrun --port %s)\n", path, path);
                said = 1;
            }
        } else {
            struct sockaddr_un a = {.sun_family = AF_UNIX};
            if (strlen(path) >= sizeof(a.sun_path)) {
                fprintf(stderr, "smtool update: %s: the socket's path is too long\n", path);
                return -1;
            }
            strcpy(a.sun_path, path);
            const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
            if (fd < 0) {
                fprintf(stderr, "smtool update: socket: %s\n", strerror(errno));
                return -1;
            }
            if (connect(fd, (const struct sockaddr *)&a, sizeof(a)) == 0) {
                return fd;
            }
            const int e = errno;
            close(fd);
            if (e != ECONNREFUSED || now() >= until) {
                fprintf(stderr, "smtool update: cannot connect to %s: %s\n", path, strerror(e));
                return -1;
            }
        }
        const struct timespec pause = {0, 100 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    const int fd = open(path, O_RDWR | O_NOCTTY);
    if (fd < 0) {
        fprintf(stderr, "smtool update: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    struct termios t;
    if (isatty(fd) && tcgetattr(fd, &t) == 0) {
        cfmakeraw(&t);
        cfsetispeed(&t, B115200);
        cfsetospeed(&t, B115200);
        (void)tcsetattr(fd, TCSANOW, &t);
    }
    return fd;
}

static const struct sm_up_component *find(const struct sm_up_info *info, uint8_t id)
{
    for (uint8_t i = 0; i < info->count; i++) {
        if (info->c[i].id == id) {
            return &info->c[i];
        }
    }
    return NULL;
}

static void print_info(const char *when, const struct sm_up_info *info)
{
    fprintf(stderr, "smtool update: %s (boot %u):", when, (unsigned)info->boot_count);
    for (uint8_t i = 0; i < info->count; i++) {
        const struct sm_up_component *c = &info->c[i];
        fprintf(stderr, "%s %s %u.%u.%u+%u %s", i == 0 ? "" : ",", component_names[c->id], c->major,
                c->minor, c->patch, (unsigned)c->build, state_names[c->state]);
    }
    fprintf(stderr, "\n");
}

static int failed_link(int rc, const char *path, const char *step)
{
    if (rc == T_LINK) {
        fprintf(stderr, "smtool update: the line %s closed at %s (did smrun stop?)\n", path, step);
    } else {
        fprintf(stderr, "smtool update: no answer from the device at %s (timed out)\n", step);
    }
    return 1;
}

/* A STATUS that is not the success expected: the device's refusal, spelled out. */
static int refused(const struct sm_up_status *st, int32_t expected)
{
    if (st->status == expected) {
        return 0;
    }
    const char *h = hint(st->request, st);
    fprintf(stderr, "smtool update: device refused: %s at %s%s%s%s\n", psa_name(st->status),
            sm_up_request_name(st->request), h != NULL ? " (" : "", h != NULL ? h : "",
            h != NULL ? ")" : "");
    return 1;
}

static void progress(size_t done, size_t total, int tty, size_t *shown)
{
    const unsigned pct = (unsigned)(done * 100u / total);
    if (tty) {
        fprintf(stderr, "\rsmtool update: sent %zu of %zu bytes (%u%%)%s", done, total, pct,
                done == total ? "\n" : "");
    } else if (done == total || pct / 25u != *shown / 25u) {
        fprintf(stderr, "smtool update: sent %zu of %zu bytes (%u%%)\n", done, total, pct);
        *shown = pct;
    }
}

static int parse_component(const char *s, uint8_t *out)
{
    for (uint8_t i = 0; i < SM_UP_COMPONENT_MAX; i++) {
        if (strcmp(s, component_names[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    return -1;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: smtool update --port PATH [--component urot|sm|ns|mod0..mod3] [--timeout S] "
            "[-q] IMAGE\n"
            "  streams a signed image to the device's updater over its serial line (PATH: the\n"
            "  unix socket of smrun --port, or a serial device), has it installed, and waits\n"
            "  for the device to come back running it, accepted (default component ns,\n"
            "  timeout 300 s for the whole update; -q: do not show the device's text)\n");
    return 2;
}

int smtool_cmd_update(int argc, char **argv)
{
    static const struct option opts[] = {
        {"port", required_argument, NULL, 'p'},
        {"component", required_argument, NULL, 'c'},
        {"timeout", required_argument, NULL, 't'},
        {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    const char *port = NULL;
    uint8_t comp = PSA_FWU_COMPONENT_NS;
    long timeout = 300;
    int quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:c:t:q", opts, NULL)) != -1) {
        if (c == 'p') {
            port = optarg;
        } else if (c == 'c') {
            if (parse_component(optarg, &comp) != 0) {
                fprintf(stderr, "smtool update: unknown component '%s'\n", optarg);
                return usage();
            }
        } else if (c == 't') {
            char *end;
            timeout = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || timeout <= 0 || timeout > 86400) {
                fprintf(stderr, "smtool update: bad timeout '%s'\n", optarg);
                return usage();
            }
        } else if (c == 'q') {
            quiet = 1;
        } else {
            return usage();
        }
    }
    if (port == NULL || optind + 1 != argc) {
        return usage();
    }
    const char *path = argv[optind];
    uint8_t *img;
    size_t len;
    if (smtool_read_file("update", path, 16u * 1024 * 1024, &img, &len) != 0) {
        return 1;
    }
    struct bl_reader rd = bl_reader_mem(img, (uint32_t)len);
    struct bl_image_info ii;
    const int prc = len == 0u ? BL_E_EMPTY : bl_image_parse(&rd, &ii);
    if (prc != BL_OK) {
        fprintf(stderr, "smtool update: %s: not a signed image (%s)\n", path, bl_strerror(prc));
        free(img);
        return 1;
    }
    const struct bl_image_version v = ii.hdr.version;
    fprintf(stderr, "smtool update: %s: %s image %u.%u.%u+%u, %zu bytes\n", path,
            component_names[comp], v.major, v.minor, v.revision, (unsigned)v.build, len);

    struct link l = {.quiet = quiet};
    sm_frame_rx_init(&l.rx);
    l.seq = (uint8_t)(getpid() ^ time(NULL));
    const double end = now() + (double)timeout;
    l.fd = open_port(port, now() + (timeout < 30 ? (double)timeout : 30.0));
    if (l.fd < 0) {
        free(img);
        return 1;
    }
#define LEFT() (end - now() > 0 ? end - now() : 0.001)
    int rc = 1;
    struct sm_up_info info;
    struct sm_up_status st;
    struct sm_up_request r = {.type = SM_UP_HELLO};
    l.counting = 1;
    int t = transact(&l, &r, LEFT(), &info, &st);
    if (t != T_OK) {
        rc = failed_link(t, port, "hello (is the updater running on the device?)");
        goto out;
    }
    print_info("device", &info);
    const struct sm_up_component *dc = find(&info, comp);
    if (dc == NULL) {
        fprintf(stderr, "smtool update: the device has no component %s\n", component_names[comp]);
        goto out;
    }
    const uint32_t boot = info.boot_count;
    if (len > dc->max_size) {
        fprintf(stderr, "smtool update: %s: %zu bytes, more than the %u the device takes for %s\n",
                path, len, (unsigned)dc->max_size, component_names[comp]);
        goto out;
    }
    if (dc->state != PSA_FWU_READY) {
        fprintf(stderr, "smtool update: %s is %s (an earlier update left it): cleaning\n",
                component_names[comp], state_names[dc->state]);
        r = (struct sm_up_request){.type = SM_UP_CLEAN, .component = comp};
        t = transact(&l, &r, LEFT(), &info, &st);
        if (t != T_OK) {
            rc = failed_link(t, port, "clean");
            goto out;
        }
        if (refused(&st, PSA_SUCCESS)) {
            goto out;
        }
    }
    r = (struct sm_up_request){.type = SM_UP_START, .component = comp, .size = (uint32_t)len};
    t = transact(&l, &r, LEFT(), &info, &st);
    if (t != T_OK) {
        rc = failed_link(t, port, "start");
        goto out;
    }
    if (refused(&st, PSA_SUCCESS)) {
        goto out;
    }
    const int tty = isatty(2);
    size_t shown = 0;
    for (size_t off = 0; off < len;) {
        const size_t n = len - off < SM_UP_DATA_MAX ? len - off : SM_UP_DATA_MAX;
        r = (struct sm_up_request){.type = SM_UP_DATA,
                                   .component = comp,
                                   .offset = (uint32_t)off,
                                   .data = img + off,
                                   .data_len = (uint16_t)n};
        t = transact(&l, &r, LEFT(), &info, &st);
        if (t != T_OK) {
            rc = failed_link(t, port, "data");
            goto out;
        }
        if (refused(&st, PSA_SUCCESS)) {
            goto out;
        }
        off += n;
        progress(off, len, tty, &shown);
    }
    fprintf(stderr, "smtool update: the device verifies the image\n");
    r = (struct sm_up_request){.type = SM_UP_FINISH, .component = comp};
    t = transact(&l, &r, LEFT(), &info, &st);
    if (t != T_OK) {
        rc = failed_link(t, port, "finish");
        goto out;
    }
    if (refused(&st, PSA_SUCCESS)) {
        fprintf(stderr, "smtool update: nothing changed on the device: it runs %s %u.%u.%u+%u\n",
                component_names[comp], dc->major, dc->minor, dc->patch, (unsigned)dc->build);
        goto out;
    }
    r = (struct sm_up_request){.type = SM_UP_INSTALL};
    t = transact(&l, &r, LEFT(), &info, &st);
    if (t != T_OK) {
        rc = failed_link(t, port, "install");
        goto out;
    }
    if (refused(&st, PSA_SUCCESS_REBOOT)) {
        goto out;
    }
    fprintf(stderr, "smtool update: installing: the device reboots\n");
    r = (struct sm_up_request){.type = SM_UP_REBOOT};
    t = transact(&l, &r, LEFT() < 10 ? LEFT() : 10, &info, &st);
    if (t == T_LINK) {
        rc = failed_link(t, port, "reboot");
        goto out;
    }
    l.counting = 0;
    /* No session: the answer to the REBOOT was lost and the request, sent again, reached the
     * next boot. The device did reboot. */
    if (t == T_OK && st.reason != SM_UP_E_NO_SESSION && refused(&st, PSA_SUCCESS)) {
        goto out;
    }
    /* Back from the reboot: an INFO from a later boot (the updater self-tests and accepts
     * before it answers). */
    for (;;) {
        r = (struct sm_up_request){.type = SM_UP_HELLO};
        t = transact(&l, &r, LEFT(), &info, &st);
        if (t != T_OK) {
            rc = failed_link(t, port, "hello after the reboot");
            goto out;
        }
        if (info.boot_count != boot) {
            break;
        }
    }
    print_info("device back", &info);
    dc = find(&info, comp);
    if (dc != NULL && dc->major == v.major && dc->minor == v.minor && dc->patch == v.revision &&
        dc->build == v.build && (dc->state == PSA_FWU_READY || dc->state == PSA_FWU_UPDATED)) {
        fprintf(stderr, "smtool update: the device runs %s %u.%u.%u+%u, accepted\n",
                component_names[comp], v.major, v.minor, v.revision, (unsigned)v.build);
        rc = 0;
    } else if (dc != NULL && dc->state == PSA_FWU_TRIAL) {
        fprintf(stderr,
                "smtool update: %s %u.%u.%u+%u runs on trial: the device did not accept "
                "it\n",
                component_names[comp], dc->major, dc->minor, dc->patch, (unsigned)dc->build);
    } else if (dc != NULL) {
        fprintf(stderr,
                "smtool update: the device did not keep the update: it runs %s %u.%u.%u+%u "
                "(%s%s%s)\n",
                component_names[comp], dc->major, dc->minor, dc->patch, (unsigned)dc->build,
                state_names[dc->state], dc->state == PSA_FWU_FAILED ? ", error " : "",
                dc->state == PSA_FWU_FAILED ? psa_name(dc->error) : "");
    } else {
        fprintf(stderr, "smtool update: the device came back without component %s\n",
                component_names[comp]);
    }
    fprintf(stderr,
            "smtool update: %zu bytes of image, %zu bytes sent on the line in %u frames (%u sent "
            "again); %u damaged frames received\n",
            len, l.sent_bytes, l.sent_frames, l.resent_frames, l.damaged_frames);
    fprintf(stderr,
            "smtool update: line bytes per image byte: %.4f (%zu bytes, each request once, "
            "hello to reboot)\n",
            (double)l.update_bytes / (double)len, l.update_bytes);
out:
#undef LEFT
    if (l.line_len != 0u && !quiet) {
        fprintf(stderr, "device: %.*s\n", (int)l.line_len, l.line);
    }
    close(l.fd);
    free(img);
    return rc;
}
