/*
 * main.c: smtool, the Secure Manager host tool. Dispatches to one file per command group.
 */
#include <stdio.h>
#include <string.h>

#include "smtool.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} commands[] = {
    {"keygen", smtool_cmd_keygen, "generate an ECDSA P-256 key (signing or encryption)"},
    {"getpub", smtool_cmd_getpub, "print a key's public part and its key hash"},
    {"sign", smtool_cmd_sign, "make a signed (optionally encrypted) MCUboot-format image"},
    {"verify", smtool_cmd_verify, "check an image against a public key and print it"},
    {"provision", smtool_cmd_provision, "create a device directory (erased flash)"},
    {"program", smtool_cmd_program, "write an image into a slot of a device's flash"},
    {"regions", smtool_cmd_regions, "print the flash map"},
    {"token", smtool_cmd_token, "verify an attestation token and print its claims"},
    {"device", smtool_cmd_device, "ask a device's provisioning stage over its serial line (info)"},
    {"chip", smtool_cmd_chip, "make a blank chip (the vendor's factory step), show or verify one"},
    {"lifecycle", smtool_cmd_lifecycle, "show or move a development device's lifecycle state"},
    {"package", smtool_cmd_package, "make an install package from install.json (encrypted)"},
    {"install", smtool_cmd_install, "install a package on a chip over its serial line"},
    {"update", smtool_cmd_update, "stream an image to a running device over its serial line"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: smtool <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "smtool: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
