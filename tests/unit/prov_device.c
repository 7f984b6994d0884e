/*
 * prov_device.c: a device's provisioning stage on the host, for the programmer's tests
 * (smtool_prov_test.sh): prov_device DEVICE_DIR SOCKET serves the provisioning protocol
 * (boot/prov/prov_core.c, the stage's own code) over the unix socket SOCKET on the device
 * directory's flash files, one client after another, until SIGTERM. The board's stage adds
 * its UART and the iRoT's hand-over around the same core (boot/prov/prov_main.c, qemu.prov);
 * this stands in for it on the far side of the same frames.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "host_flash.h"
#include "plat_flash.h"
#include "prov_core.h"
#include "sm_frame.h"

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: prov_device DEVICE_DIR SOCKET\n");
        return 2;
    }
    struct sigaction sa = {.sa_handler = on_term};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    if (host_flash_open_dir(argv[1], false) != PLAT_FLASH_OK) {
        fprintf(stderr, "prov_device: %s: no device\n", argv[1]);
        return 1;
    }
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(argv[2]) >= sizeof(a.sun_path)) {
        return 1;
    }
    strcpy(a.sun_path, argv[2]);
    unlink(argv[2]);
    const int ls = socket(AF_UNIX, SOCK_STREAM, 0);
    if (ls < 0 || bind(ls, (const struct sockaddr *)&a, sizeof(a)) != 0 || listen(ls, 1) != 0) {
        fprintf(stderr, "prov_device: %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    while (!stop) {
        const int fd = accept(ls, NULL, NULL);
        if (fd < 0) {
            continue;
        }
        struct sm_frame_rx rx;
        sm_frame_rx_init(&rx);
        uint8_t b;
        while (!stop && read(fd, &b, 1) == 1) {
            if (sm_frame_feed(&rx, b) != SM_FRAME_OK) {
                continue;
            }
            uint8_t type, payload[SM_FRAME_PAYLOAD_MAX], frame[SM_FRAME_MAX];
            const int n = prov_handle(&rx.frame, &type, payload);
            if (n < 0) {
                continue;
            }
            const size_t len =
                sm_frame_encode(type, rx.frame.seq, payload, (size_t)n, frame, sizeof(frame));
            if (len == 0 || write(fd, frame, len) != (ssize_t)len) {
                break;
            }
        }
        close(fd);
    }
    close(ls);
    unlink(argv[2]);
    host_flash_close();
    return 0;
}
