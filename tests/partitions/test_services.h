/*
 * test_services.h: the call types of the test partitions (tests/partitions), shared by the
 * partitions, the host tests and the non-secure test application.
 */
#ifndef TEST_SERVICES_H
#define TEST_SERVICES_H

/* TEST_ECHO_SERVICE, TEST_ECHO_STATELESS, TEST_SECURE_ONLY, TEST_RELAXED (partition TEST_ECHO) */
enum {
    ECHO_COPY = 0,        /* in[i] -> out[i]; returns bytes written */
    ECHO_PARTIAL = 1,     /* in[0] read 3 bytes, skip 1, ... into out[0]; returns bytes written */
    ECHO_STATUS = 2,      /* replies with the int32 in in[0] */
    ECHO_COUNT = 3,       /* calls served so far */
    ECHO_CONN_CALLS = 4,  /* calls on this connection so far (kept with psa_set_rhandle) */
    ECHO_EMPTY = 5,       /* replies 0 at once */
    ECHO_DOORBELLS = 6,   /* doorbells received */
    ECHO_WRITE_SPLIT = 7, /* writes in[0] to out[0] in two psa_write calls */
    ECHO_CLIENT_ID = 8,   /* replies with the client id */
    ECHO_BULK = 9,        /* up to 1 KiB of in[0] -> out[0] in one psa_read and one psa_write */
};

/* TEST_CLIENT_SERVICE (partition TEST_CLIENT): calls made by a partition. */
enum {
    CLIENT_P2P = 0,       /* the message path between partitions; 0 or a failing step */
    CLIENT_P2P_EMPTY = 1, /* in[0] = uint32 n: n stateless ECHO_EMPTY calls (n <= 20000) */
    CLIENT_P2P_1K = 2,    /* in[0] = uint32 n: n ECHO_BULK calls of 1 KiB in and out (the same) */
    CLIENT_NOTIFY = 3,    /* psa_notify(TEST_ECHO) */
    CLIENT_ITS = 4,       /* in[0] = struct client_its, in[1] data to set, out[0] data got */
    CLIENT_DEVICE = 5,    /* sm/sm_device.h without a flash area: 0 or a failing step; out[0]
                           * gets the key sm_derive_key gives for label "test" (32 bytes) */
    CLIENT_CRYPTO = 6,    /* in[0] = struct client_crypto, in[1] data, out[0] data got */
    CLIENT_CONNS = 7,     /* in[0] = uint32 n: n more connections to TEST_SECURE_ONLY, held;
                           * out[0] gets the number now held (uint32); replies with the first
                           * failing connect's status (those before it stay held), or success */
    CLIENT_CLOSE = 8,     /* closes every connection CLIENT_CONNS holds */
};
#define CLIENT_CONNS_MAX 24 /* more than the SM's whole table had before quotas (16) */
/* CLIENT_ITS: one PSA ITS call made by the partition; replies with its status. */
enum { CLIENT_ITS_SET, CLIENT_ITS_GET, CLIENT_ITS_GET_INFO, CLIENT_ITS_REMOVE };
struct client_its {
    uint32_t op;
    uint32_t uid;
    uint32_t offset_or_flags;
};

/* CLIENT_CRYPTO: one PSA Crypto action made by the partition, in its own key namespace and with
 * its own operation slots (the second client of the crypto tests); replies with its status.
 * Keys are HMAC-SHA-256 keys (usage EXPORT, SIGN_MESSAGE, VERIFY_MESSAGE); in[1] is read up to
 * 64 bytes; out[0] gets what fits. */
enum {
    CLIENT_CRYPTO_IMPORT,  /* in[1] the key; `key` 0: volatile, else its persistent id; out[0]
                            * gets the new key's id (uint32) */
    CLIENT_CRYPTO_EXPORT,  /* `key` -> out[0] */
    CLIENT_CRYPTO_DESTROY, /* `key` */
    CLIENT_CRYPTO_MAC,     /* HMAC-SHA-256 of in[1] with `key` -> out[0] (32 bytes) */
    CLIENT_CRYPTO_HOLD,    /* `n` more SHA-256 operations set up, fed in[1] and held; out[0]
                            * gets their handles (uint32 each); replies with the first failure
                            * (the operations before it stay held), INVALID_ARGUMENT if more
                            * than CLIENT_CRYPTO_HELD_MAX would be held */
    CLIENT_CRYPTO_RELEASE, /* every held operation fed in[1] and finished: out[0] gets their
                            * hashes (32 bytes each, in order); replies with the first failure */
    CLIENT_CRYPTO_FORGE,   /* psa_hash_update(in[1]) on an operation whose handle is `key` (one
                            * another client owns, say); the operation is then forgotten */
};
#define CLIENT_CRYPTO_HELD_MAX 5 /* more than the service allows a partition (2) */
struct client_crypto {
    uint32_t op;
    uint32_t key;
    uint32_t n;
};

/* TEST_FAULT_SERVICE (partition TEST_FAULT): each stops the partition, but FAULT_OK and
 * FAULT_REPLY_PROGRAMMER_ERROR. */
enum {
    FAULT_OK = 0,
    FAULT_READ_OTHER_STACK = 1, /* board only: reads TEST_ECHO's stack */
    FAULT_PANIC = 2,
    FAULT_WRITE_PAST_END = 3,
    FAULT_READ_INTO_OTHER = 4, /* psa_read into memory that is not the partition's */
    FAULT_UNDECLARED_CONNECT = 5,
    FAULT_NULL_WRITE = 6,     /* board only */
    FAULT_STACK_OVERFLOW = 7, /* board only */
    FAULT_RETURN = 8,         /* returns from its entry point */
    FAULT_REPLY_PROGRAMMER_ERROR = 9,
    FAULT_WAIT_NOTHING = 10,     /* psa_wait on no signal of its own */
    FAULT_FLASH_INTO_OTHER = 11, /* sm_flash_read into memory that is not the partition's */
    FAULT_KEY_INTO_OTHER = 12,   /* sm_derive_key into memory that is not the partition's */
    FAULT_CRYPTO_ABANDON = 13,   /* sets up 2 crypto operations and imports a volatile key
                                  * (GENERIC_ERROR if one fails), then calls psa_panic */
    FAULT_SEMIHOSTING = 14,      /* board only: semihosting calls (open, system, exit) */
    /* Board only: each names the System Control Space (PPB, 0xE0000000 and up) to the SM. */
    FAULT_PPB_READ = 20,       /* psa_read into the PPB */
    FAULT_PPB_WRITE = 21,      /* psa_write from the PPB */
    FAULT_PPB_FLASH = 22,      /* sm_flash_read into the PPB */
    FAULT_PPB_KEY = 23,        /* sm_derive_key with its label in the PPB */
    FAULT_PPB_ENTROPY = 24,    /* sm_entropy into the PPB */
    FAULT_PPB_CALL = 25,       /* psa_hash_compute (a psa_call) with its input in the PPB */
    FAULT_CORE_SVC = 26,       /* board only: the supervisor call ending the core's deferred work */
    FAULT_REPLY_WAIT_BAD = 27, /* sm_reply_wait with a handle that names no message */
    FAULT_REPLY_GET_BAD = 28,  /* sm_reply_get with a handle that names no message */
    FAULT_REPLY_GET_OTHER = 29, /* sm_reply_get into TEST_ECHO's memory (host: address 0) */
    FAULT_SVC_UNKNOWN = 30,     /* board only: a supervisor call number past the core's table */
};

/* TEST_TIMER_SERVICE (partition TEST_TIMER): secure timer interrupts, second-level (the dual
 * timer) and first-level (the S32K timer). */
enum {
    TIMER_START = 0,       /* in[0] = uint32 ticks until the interrupt */
    TIMER_COUNT = 1,       /* interrupts handled so far */
    TIMER_TICK_START = 2,  /* in[0] = struct timer_tick_start: periodic first-level interrupts */
    TIMER_TICK_COUNT = 3,  /* first-level handler runs | signals seen << 16 */
    TIMER_START_TOKEN = 4, /* in[0] = uint32 ticks: on that interrupt the partition asks the
                            * attestation service for a token of TIMER_TOKEN_CHALLENGE */
    TIMER_TOKEN = 5,       /* out[0] that token; replies with its status (PSA_ERROR_BAD_STATE
                            * until it is made) */
};
#define TIMER_TOKEN_CHALLENGE 0x5Au /* 32 bytes of it */
#define TIMER_TOKEN_BUF       1024u
/* What the first-level handler does on each interrupt. */
enum {
    TICK_COUNT = 0,     /* counts; on the `target`th, stops the timer and asks for the signal */
    TICK_FAULT = 1,     /* board only: reads TEST_ECHO's stack */
    TICK_PANIC = 2,     /* calls psa_panic */
    TICK_FORBIDDEN = 3, /* calls psa_wait, which a first-level handler may not */
    TICK_BAD_RESULT = 4 /* returns a value that is no psa_flih_result_t */
};
struct timer_tick_start {
    uint32_t reload; /* S32K timer periods (32768 Hz) between interrupts */
    uint32_t target;
    uint32_t mode;
};
#define TEST_TIMER_IRQ 5 /* the AN505 dual timer */
#define TEST_TICK_IRQ  2 /* the AN505 S32K timer */

#endif /* TEST_SERVICES_H */
