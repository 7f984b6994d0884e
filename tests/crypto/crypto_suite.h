/*
 * crypto_suite.h: the crypto service's test suite, written once for two runners: the host test
 * (tests/unit/test_crypto_service.c, the SM in-process) and the non-secure test application on
 * the board. It uses only psa/crypto.h (the client library), psa/client.h and the TEST_CLIENT
 * partition's call types (test_services.h): no stdio, no heap, large buffers static (the NS
 * stack is 8 KiB).
 *
 * Contract:
 * - crypto_suite_run() runs every check once, in order, and adds each one to r->passed or
 *   r->failed (so several runs can share a result). For each failure it calls
 *   report(what, line): `what` names the group of checks and, for a status check, the status
 *   actually returned ("cipher: status -135"); `line` is the check's line in crypto_suite.c.
 *   report may be NULL. The strings live until the next report only.
 * - It needs the crypto service with persistent keys (ITS on a provisioned device) and the
 *   TEST_CLIENT partition, the second client. It leaves no key and no operation behind, so it
 *   can run again on the same device, and first removes what an interrupted run may have left.
 * - crypto_suite_persistent() is one boot of the power-cycle test of a persistent key (id
 *   CRYPTO_SUITE_PERSISTENT_ID, an HMAC key of the NS client): run CREATE in one boot, then
 *   CHECK in any number of later boots, then DESTROY, then GONE, each in a boot of its own.
 * - Not reentrant: the suite keeps its state in static storage.
 */
#ifndef CRYPTO_SUITE_H
#define CRYPTO_SUITE_H

struct crypto_suite_result {
    unsigned passed, failed;
};

typedef void (*crypto_suite_report_fn)(const char *what, int line);

void crypto_suite_run(struct crypto_suite_result *r, crypto_suite_report_fn report);

#define CRYPTO_SUITE_PERSISTENT_ID 0x100u

enum crypto_suite_boot {
    CRYPTO_SUITE_CREATE,  /* the key does not exist yet; import it, use it */
    CRYPTO_SUITE_CHECK,   /* it is there, as imported, still the NS client's alone; use it */
    CRYPTO_SUITE_DESTROY, /* as CHECK, then destroy it */
    CRYPTO_SUITE_GONE,    /* it no longer exists */
};

void crypto_suite_persistent(enum crypto_suite_boot boot, struct crypto_suite_result *r,
                             crypto_suite_report_fn report);

#endif /* CRYPTO_SUITE_H */
