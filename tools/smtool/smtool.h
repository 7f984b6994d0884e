/*
 * smtool.h: shared declarations of the smtool subcommands.
 *
 * Contract: each command gets argc/argv starting at its own name, prints "smtool <cmd>: ..."
 * errors naming the file and the problem on stderr, and returns the process exit status
 * (0 success, 1 failure, 2 usage).
 */
#ifndef SMTOOL_H
#define SMTOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct smtool_region {
    const char *name;
    uint32_t offset;
    uint32_t size;
    const char *what;
};

/* The named flash regions, from flash_map.h; NULL if `name` is unknown. */
const struct smtool_region *smtool_region_find(const char *name);
void smtool_region_list(void);

int smtool_cmd_provision(int argc, char **argv);
int smtool_cmd_program(int argc, char **argv);
int smtool_cmd_regions(int argc, char **argv);
int smtool_cmd_keygen(int argc, char **argv);
int smtool_cmd_getpub(int argc, char **argv);
int smtool_cmd_sign(int argc, char **argv);
int smtool_cmd_verify(int argc, char **argv);
int smtool_cmd_token(int argc, char **argv);
int smtool_cmd_lifecycle(int argc, char **argv);
int smtool_cmd_update(int argc, char **argv);
int smtool_cmd_chip(int argc, char **argv);
int smtool_cmd_device(int argc, char **argv);
/* Over a device's serial line to its provisioning stage (cmd_prov.c). */
int smtool_device_info_port(int argc, char **argv);
int smtool_lifecycle_port(int argc, char **argv);
/* ECDSA P-256 over a digest with the private key of a PEM file (cmd_prov.c). 0 or -1. */
int smtool_sign_digest(const char *path, const uint8_t digest[32], uint8_t sig[64]);
/* smtool lifecycle --sign: a request for a running device's SM (cmd_lifecycle.c). */
int smtool_lifecycle_sign(int argc, char **argv);
/* The install package (install-package.md): made offline, installed over the line. */
int smtool_cmd_package(int argc, char **argv);
int smtool_cmd_install(int argc, char **argv);
/* --ns-updates' value (all, none, or a list of kinds): the bits, or -1. */
long smtool_parse_components(const char *s);

/* A lifecycle state's name as the command lines spell it (secured, non-psa-rot-debug, ...). */
int smtool_parse_lifecycle(const char *s, uint32_t *out);
/* Whether DIR holds a device made by smtool provision. */
bool smtool_device_exists(const char *dir);

/* Exactly 2 * len hex digits into out. 0 or -1. */
int smtool_parse_hex(const char *s, uint8_t *out, size_t len);

/* Reads a whole file (at most max_len bytes) into a new buffer. 0 or -1 (message printed). */
int smtool_read_file(const char *cmd, const char *path, size_t max_len, uint8_t **data,
                     size_t *len);

/* Writes a whole file through a temporary name and a rename, so an error never leaves a
 * half-written output. 0 or -1 (message printed). */
int smtool_write_file(const char *cmd, const char *path, const void *data, size_t len);
/* Writes a raw P-256 public key (x || y) as a SubjectPublicKeyInfo PEM file. */
int sm_key_write_public_pem(const char *cmd, const char *path, const uint8_t pub[64]);

#endif /* SMTOOL_H */
