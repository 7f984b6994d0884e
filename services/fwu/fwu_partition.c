/*
 * fwu_partition.c: the firmware update partition: serves the PSA Firmware Update API
 * (fwu_ipc.h) over what the core gives it (sm/sm_device.h): each component's download slot,
 * the boot stages' verification of a download, and the trailer fields that ask the boot stage
 * to install, and confirm a trial.
 *
 * The state machine is the specification's default one (docs/design/fwu.md). STAGED and
 * REJECTED live in RAM only; every other state is derived from flash the first time the
 * service is asked anything after a boot (nothing at start, so the boot is not slowed):
 *   TRIAL       the active image runs on trial (installed, not confirmed);
 *   FAILED      the download slot still asks for an install after a boot (the boot stage kept
 *               the request), or holds data with no mark or a FAILED mark;
 *   READY       the download slot is erased, its trailer too;
 *   CANDIDATE / UPDATED  the newest mark says so.
 * Image data streams from the client's vector to flash PSA_FWU_WRITE_CHUNK bytes at a time; a
 * block whose size is not a multiple of 16 is padded with the erased value. Every call first
 * checks the component, then the caller against the policy (fwu_policy.h), then the state, then
 * the arguments: a call refused for any of them changes nothing.
 */
#include <stdbool.h>
#include <string.h>

#include "fwu_ipc.h"
#include "fwu_policy.h"
#include "psa/service.h"
#include "psa/update.h"
#include "psa_manifest/fwu.h"
#include "psa_manifest/sid.h"
#include "sm/sm_device.h"
#include "sm/sm_service.h"

_Static_assert(SM_FWU_HANDLE == FWU_IPC_HANDLE, "fwu.json and fwu_ipc.h name the same handle");
_Static_assert(PSA_FWU_COMPONENT_COUNT == SM_FWU_COMPONENTS, "a component per image kind");
_Static_assert((PSA_FWU_MAX_WRITE_SIZE & ((1u << PSA_FWU_LOG2_WRITE_ALIGN) - 1u)) == 0u,
               "the largest block is aligned (the specification's rule)");

#define UNIT       (1u << PSA_FWU_LOG2_WRITE_ALIGN) /* the flash's program unit */
#define CHUNK      256u
#define NO_STATE   0xFFu /* a component that does not exist on this device */
#define SECTOR     0x2000u
#define LOST_ERROR PSA_ERROR_GENERIC_ERROR /* FAILED found after a boot, reason not recorded */

/* How many times a component's download slot may be cleaned in one boot before psa_fwu_write
 * refuses more with PSA_ERROR_FLASH_ABUSE (until the next boot): a client looping start, write,
 * cancel and clean would otherwise wear the slot's sectors out at flash speed. 0: no limit
 * (the fuzzing build's, services/fwu/CMakeLists.txt). */
#ifndef SM_FWU_CLEANS_PER_BOOT
#define SM_FWU_CLEANS_PER_BOOT 4u
#endif

/* The order the boot stages install and the service confirms a group's members in (the boot
 * core's bl_kind_rank): the uRoT, the SM, the modules, NS. */
static const uint8_t rank_order[PSA_FWU_COMPONENT_COUNT] = {
    PSA_FWU_COMPONENT_UROT,        PSA_FWU_COMPONENT_SM,          PSA_FWU_COMPONENT_MODULE0,
    PSA_FWU_COMPONENT_MODULE0 + 1, PSA_FWU_COMPONENT_MODULE0 + 2, PSA_FWU_COMPONENT_MODULE0 + 3,
    PSA_FWU_COMPONENT_NS,
};

static struct {
    bool loaded;
    uint8_t state[PSA_FWU_COMPONENT_COUNT];
    uint8_t cleans[PSA_FWU_COMPONENT_COUNT]; /* this boot's */
    psa_status_t error[PSA_FWU_COMPONENT_COUNT];
} fwu;

static uint8_t chunk[CHUNK];

static void derive(uint32_t c)
{
    struct sm_fwu_slot s;
    fwu.error[c] = 0;
    if (sm_fwu_slot(c, &s) != PSA_SUCCESS) {
        fwu.state[c] = PSA_FWU_FAILED;
        fwu.error[c] = PSA_ERROR_STORAGE_FAILURE;
        return;
    }
    if (!s.exists) {
        fwu.state[c] = NO_STATE;
    } else if (s.trial) {
        fwu.state[c] = PSA_FWU_TRIAL;
    } else if (s.request) {
        /* STAGED does not survive a boot: the boot stage kept the request without installing
         * it (an unmet dependency, a flash error). */
        fwu.state[c] = PSA_FWU_FAILED;
        fwu.error[c] = PSA_ERROR_DEPENDENCY_NEEDED;
    } else if (sm_fwu_flash_blank(c, 0, s.slot_size) == 1) {
        fwu.state[c] = PSA_FWU_READY;
    } else if (s.mark == SM_FWU_MARK_CANDIDATE || s.mark == SM_FWU_MARK_STAGED) {
        /* STAGED without its request: an install of a group cut before it was complete. */
        fwu.state[c] = PSA_FWU_CANDIDATE;
    } else if (s.mark == SM_FWU_MARK_UPDATED) {
        fwu.state[c] = PSA_FWU_UPDATED;
    } else {
        /* An interrupted download, a refused or reverted image: never taken for anything. */
        fwu.state[c] = PSA_FWU_FAILED;
        fwu.error[c] = s.mark == SM_FWU_MARK_FAILED ? s.mark_error : LOST_ERROR;
    }
}

static void load(void)
{
    if (!fwu.loaded) {
        for (uint32_t c = 0; c < PSA_FWU_COMPONENT_COUNT; c++) {
            derive(c);
        }
        fwu.loaded = true;
    }
}

/* The components in `state`, as a set. */
static uint32_t in_state(uint8_t state)
{
    uint32_t set = 0;
    for (uint32_t c = 0; c < PSA_FWU_COMPONENT_COUNT; c++) {
        if (fwu.state[c] == state) {
            set |= FWU_COMPONENT_BIT(c);
        }
    }
    return set;
}

static psa_status_t set_failed(uint32_t c, psa_status_t error)
{
    fwu.state[c] = PSA_FWU_FAILED;
    fwu.error[c] = error;
    return sm_fwu_mark(c, SM_FWU_MARK_FAILED, error) == PSA_SUCCESS ? PSA_SUCCESS
                                                                    : PSA_ERROR_STORAGE_FAILURE;
}

static psa_status_t flash_status(int rc)
{
    return rc == SM_FLASH_OK         ? PSA_SUCCESS
           : rc == SM_FLASH_E_LOCKED ? PSA_ERROR_BAD_STATE
                                     : PSA_ERROR_STORAGE_FAILURE;
}

static psa_status_t query(uint32_t c, const psa_msg_t *msg)
{
    struct sm_fwu_slot s;
    psa_fwu_component_info_t info;
    if (msg->out_size[0] != sizeof(info)) {
        return PSA_ERROR_PROGRAMMER_ERROR;
    }
    if (sm_fwu_slot(c, &s) != PSA_SUCCESS) {
        return PSA_ERROR_STORAGE_FAILURE;
    }
    memset(&info, 0, sizeof(info)); /* padding too: it goes to the client */
    info.state = fwu.state[c];
    info.error =
        fwu.state[c] == PSA_FWU_FAILED || fwu.state[c] == PSA_FWU_REJECTED ? fwu.error[c] : 0;
    info.version.major = s.version_major;
    info.version.minor = s.version_minor;
    info.version.patch = s.version_revision;
    info.version.build = s.version_build;
    info.max_size = s.max_size;
    info.flags = (FWU_ENCRYPTED_COMPONENTS & FWU_COMPONENT_BIT(c)) ? PSA_FWU_FLAG_ENCRYPTION : 0u;
    info.location = s.location;
    info.impl.min_security_counter = s.min_sec_cnt;
    psa_write(msg->handle, 0, &info, sizeof(info));
    return PSA_SUCCESS;
}

/* Streams the block from in[1] into the download slot. Units already programmed must hold the
 * same bytes (a repeated write succeeds, a conflicting one is refused). */
static psa_status_t write(uint32_t c, const psa_msg_t *msg, uint32_t offset)
{
    const size_t size = msg->in_size[1];
    struct sm_fwu_slot s;
    if (sm_fwu_slot(c, &s) != PSA_SUCCESS) {
        return PSA_ERROR_STORAGE_FAILURE;
    }
    if ((offset & (UNIT - 1u)) != 0u || size == 0u || size > PSA_FWU_MAX_WRITE_SIZE ||
        offset > s.max_size || size > s.max_size - offset) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    if (SM_FWU_CLEANS_PER_BOOT != 0u && fwu.cleans[c] >= SM_FWU_CLEANS_PER_BOOT) {
        return PSA_ERROR_FLASH_ABUSE;
    }
    for (size_t done = 0; done < size;) {
        const size_t n = size - done < CHUNK ? size - done : CHUNK;
        if (psa_read(msg->handle, 1, chunk, n) != n) {
            return PSA_ERROR_COMMUNICATION_FAILURE;
        }
        const size_t padded = (n + UNIT - 1u) & ~(size_t)(UNIT - 1u);
        memset(chunk + n, 0xFF, padded - n);
        const uint32_t at = offset + (uint32_t)done;
        int rc = sm_fwu_flash_blank(c, at, padded);
        if (rc == 1) {
            rc = sm_fwu_flash_program(c, at, chunk, padded);
        } else if (rc == 0) {
            for (size_t u = 0; u < padded && rc == SM_FLASH_OK; u += UNIT) {
                uint8_t old[UNIT];
                rc = sm_fwu_flash_blank(c, at + (uint32_t)u, UNIT);
                if (rc == 1) {
                    rc = sm_fwu_flash_program(c, at + (uint32_t)u, chunk + u, UNIT);
                } else if (rc == 0) {
                    rc = sm_fwu_flash_read(c, at + (uint32_t)u, old, UNIT);
                    if (rc == SM_FLASH_OK && memcmp(old, chunk + u, UNIT) != 0) {
                        return PSA_ERROR_INVALID_ARGUMENT; /* other bytes are there already */
                    }
                }
            }
        }
        if (rc != SM_FLASH_OK) {
            return flash_status(rc);
        }
        done += n;
    }
    return PSA_SUCCESS;
}

static psa_status_t finish(uint32_t c)
{
    struct sm_fwu_image img;
    psa_status_t status = sm_fwu_verify(c, &img);
    if (status == PSA_SUCCESS &&
        (img.encrypted != 0u) != ((FWU_ENCRYPTED_COMPONENTS & FWU_COMPONENT_BIT(c)) != 0u)) {
        status = PSA_ERROR_NOT_PERMITTED; /* valid, but not what the policy asks for */
    }
    if (status != PSA_SUCCESS) {
        (void)set_failed(c, status);
        return status;
    }
    if (sm_fwu_mark(c, SM_FWU_MARK_CANDIDATE, 0) != PSA_SUCCESS) {
        (void)set_failed(c, PSA_ERROR_STORAGE_FAILURE);
        return PSA_ERROR_STORAGE_FAILURE;
    }
    fwu.state[c] = PSA_FWU_CANDIDATE;
    return PSA_SUCCESS;
}

/* Erases every sector of the download slot that holds anything, the trailer sector last, so
 * that a cut leaves the marks (and so the state) as they were. */
static psa_status_t clean(uint32_t c)
{
    struct sm_fwu_slot s;
    if (sm_fwu_slot(c, &s) != PSA_SUCCESS) {
        return PSA_ERROR_STORAGE_FAILURE;
    }
    for (uint32_t at = 0; at < s.slot_size; at += SECTOR) {
        int rc = sm_fwu_flash_blank(c, at, SECTOR);
        if (rc == 0) {
            if (at == 0u && fwu.cleans[c] < UINT8_MAX) {
                fwu.cleans[c]++; /* the slot's first sector holds every image's start */
            }
            rc = sm_fwu_flash_erase(c, at, SECTOR);
        } else if (rc == 1) {
            rc = SM_FLASH_OK;
        }
        if (rc != SM_FLASH_OK) {
            return flash_status(rc);
        }
    }
    fwu.state[c] = PSA_FWU_READY;
    fwu.error[c] = 0;
    return PSA_SUCCESS;
}

static bool version_below(const psa_fwu_image_version_t *v, uint8_t major, uint8_t minor,
                          uint16_t revision, uint32_t build)
{
    if (v->major != major) {
        return v->major < major;
    }
    if (v->minor != minor) {
        return v->minor < minor;
    }
    if (v->patch != revision) {
        return v->patch < revision;
    }
    return v->build < build;
}

/* A STAGED component made FAILED: its request dropped (the trailer sector goes, marks and
 * magic with it), then the FAILED mark. FAILED in RAM whatever the flash did. */
static psa_status_t unstage(uint32_t c, psa_status_t error)
{
    struct sm_fwu_slot s;
    if (sm_fwu_slot(c, &s) != PSA_SUCCESS ||
        sm_fwu_flash_erase(c, s.slot_size - SECTOR, SECTOR) != SM_FLASH_OK ||
        set_failed(c, error) != PSA_SUCCESS) {
        fwu.state[c] = PSA_FWU_FAILED;
        fwu.error[c] = error;
        return PSA_ERROR_STORAGE_FAILURE;
    }
    return PSA_SUCCESS;
}

/* An install that failed after its first request: every member FAILED, none left asking. */
static void drop_install(uint32_t members, psa_status_t error)
{
    for (uint32_t c = 0; c < PSA_FWU_COMPONENT_COUNT; c++) {
        if ((members & FWU_COMPONENT_BIT(c)) == 0u) {
            continue;
        }
        if (fwu.state[c] == PSA_FWU_STAGED) {
            (void)unstage(c, error);
        } else {
            (void)set_failed(c, error);
        }
    }
}

/* Every CANDIDATE verified again (flash may have changed since finish), its dependencies met
 * by confirmed active images, then each asked of the boot stage. */
static psa_status_t install(uint32_t allowed)
{
    if (in_state(PSA_FWU_STAGED) | in_state(PSA_FWU_TRIAL) | in_state(PSA_FWU_REJECTED)) {
        return PSA_ERROR_BAD_STATE;
    }
    const uint32_t candidates = in_state(PSA_FWU_CANDIDATE);
    if (candidates == 0u) {
        return PSA_ERROR_BAD_STATE;
    }
    if ((candidates & ~allowed) != 0u) {
        return PSA_ERROR_NOT_PERMITTED;
    }
    /* The uRoT goes in alone: the iRoT, which installs it, has no install groups (it must fit
     * its 16 KiB; docs/design/fwu.md). */
    if ((candidates & FWU_COMPONENT_BIT(PSA_FWU_COMPONENT_UROT)) != 0u &&
        candidates != FWU_COMPONENT_BIT(PSA_FWU_COMPONENT_UROT)) {
        return PSA_ERROR_NOT_PERMITTED;
    }
    /* Each verified again; a dependency outside the install is met only by a confirmed active
     * image (what the boot stage counts), one on another candidate by that candidate, since
     * the group goes in and back as one (checked once every candidate's version is known). */
    struct sm_fwu_image img;
    psa_fwu_image_version_t version[PSA_FWU_COMPONENT_COUNT] = {{0}};
    uint32_t on_candidates = 0;
    for (uint32_t pass = 0; pass < 2u; pass++) {
        for (uint32_t c = 0; c < PSA_FWU_COMPONENT_COUNT; c++) {
            const uint32_t bit = FWU_COMPONENT_BIT(c);
            if ((candidates & bit) == 0u || (pass == 1u && (on_candidates & bit) == 0u)) {
                continue;
            }
            psa_status_t status = sm_fwu_verify(c, &img);
            if (status == PSA_SUCCESS &&
                (img.encrypted != 0u) != ((FWU_ENCRYPTED_COMPONENTS & bit) != 0u)) {
                status = PSA_ERROR_NOT_PERMITTED;
            }
            if (status != PSA_SUCCESS) {
                (void)set_failed(c, status);
                return status;
            }
            version[c] = (psa_fwu_image_version_t){img.major, img.minor, img.revision, img.build};
            for (uint32_t d = 0; d < img.n_deps && d < 4u; d++) {
                struct sm_fwu_slot dep;
                const uint32_t k = img.deps[d].kind;
                const bool candidate = k < PSA_FWU_COMPONENT_COUNT && k != c &&
                                       (candidates & FWU_COMPONENT_BIT(k)) != 0u;
                if (candidate) {
                    on_candidates |= bit;
                    if (pass == 1u &&
                        version_below(&version[k], img.deps[d].major, img.deps[d].minor,
                                      img.deps[d].revision, img.deps[d].build)) {
                        return PSA_ERROR_DEPENDENCY_NEEDED;
                    }
                } else if (pass == 0u &&
                           (k >= PSA_FWU_COMPONENT_COUNT || sm_fwu_slot(k, &dep) != PSA_SUCCESS ||
                            !dep.exists || dep.trial ||
                            version_below(
                                &(psa_fwu_image_version_t){dep.version_major, dep.version_minor,
                                                           dep.version_revision, dep.version_build},
                                img.deps[d].major, img.deps[d].minor, img.deps[d].revision,
                                img.deps[d].build))) {
                    return PSA_ERROR_DEPENDENCY_NEEDED;
                }
            }
        }
    }
    /* Several at once: each names the group first (the boot stage installs all or none), so a
     * cut between the requests below leaves none installed. */
    for (uint32_t c = 0; c < PSA_FWU_COMPONENT_COUNT; c++) {
        struct sm_fwu_slot s;
        if ((candidates & FWU_COMPONENT_BIT(c)) == 0u) {
            continue;
        }
        psa_status_t status = sm_fwu_slot(c, &s);
        if (status == PSA_SUCCESS && s.mark == SM_FWU_MARK_STAGED &&
            (uint32_t)s.mark_error != candidates) {
            status = PSA_ERROR_STORAGE_FAILURE; /* named another group: download it again */
        } else if (status == PSA_SUCCESS && s.mark != SM_FWU_MARK_STAGED &&
                   (candidates & (candidates - 1u)) != 0u) {
            status = sm_fwu_mark(c, SM_FWU_MARK_STAGED, (psa_status_t)candidates);
        }
        if (status != PSA_SUCCESS) {
            (void)set_failed(c, PSA_ERROR_STORAGE_FAILURE);
            return PSA_ERROR_STORAGE_FAILURE;
        }
    }
    for (uint32_t c = 0; c < PSA_FWU_COMPONENT_COUNT; c++) {
        if ((candidates & FWU_COMPONENT_BIT(c)) != 0u) {
            if (sm_fwu_request(c) != PSA_SUCCESS) {
                /* The request's unit cannot take it (a write a power cut tore): only a new
                 * download can be installed now. The install failed as a whole: no member is
                 * left STAGED (the specification: all FAILED, or all CANDIDATE), those asked
                 * for already lose their request as in a reject. */
                drop_install(candidates, PSA_ERROR_STORAGE_FAILURE);
                return PSA_ERROR_STORAGE_FAILURE;
            }
            fwu.state[c] = PSA_FWU_STAGED;
        }
    }
    return PSA_SUCCESS_REBOOT;
}

static psa_status_t reject(uint32_t allowed, psa_status_t error)
{
    const uint32_t staged = in_state(PSA_FWU_STAGED), trial = in_state(PSA_FWU_TRIAL);
    if ((staged | trial) == 0u) {
        return PSA_ERROR_BAD_STATE;
    }
    if (((staged | trial) & ~allowed) != 0u) {
        return PSA_ERROR_NOT_PERMITTED;
    }
    for (uint32_t c = 0; c < PSA_FWU_COMPONENT_COUNT; c++) {
        if ((staged & FWU_COMPONENT_BIT(c)) != 0u) {
            if (unstage(c, error) != PSA_SUCCESS) {
                return PSA_ERROR_STORAGE_FAILURE;
            }
        } else if ((trial & FWU_COMPONENT_BIT(c)) != 0u) {
            /* The boot stage reverts it at the next boot: it was not confirmed. */
            fwu.state[c] = PSA_FWU_REJECTED;
            fwu.error[c] = error;
        }
    }
    return trial != 0u ? PSA_SUCCESS_REBOOT : PSA_SUCCESS;
}

/* The UPDATED mark first, then the confirmation: a cut between them leaves a trial the boot
 * stage reverts (TRIAL to FAILED over a reboot, as the specification allows). */
static psa_status_t accept(uint32_t allowed)
{
    const uint32_t trial = in_state(PSA_FWU_TRIAL);
    if (trial == 0u) {
        return PSA_ERROR_BAD_STATE;
    }
    if ((trial & ~allowed) != 0u) {
        return PSA_ERROR_NOT_PERMITTED;
    }
    /* In the boot stages' order: a cut between two members leaves the first confirmed, and the
     * boot stage then confirms the rest of its group (bl_boot.c). */
    for (uint32_t i = 0; i < PSA_FWU_COMPONENT_COUNT; i++) {
        const uint32_t c = rank_order[i];
        if ((trial & FWU_COMPONENT_BIT(c)) != 0u) {
            if (sm_fwu_mark(c, SM_FWU_MARK_UPDATED, 0) != PSA_SUCCESS ||
                sm_fwu_confirm(c) != PSA_SUCCESS) {
                return PSA_ERROR_STORAGE_FAILURE;
            }
            fwu.state[c] = PSA_FWU_UPDATED;
        }
    }
    return PSA_SUCCESS;
}

static psa_status_t serve(const psa_msg_t *msg)
{
    struct fwu_ipc_args args;
    if (msg->in_size[0] != sizeof(args) ||
        psa_read(msg->handle, 0, &args, sizeof(args)) != sizeof(args)) {
        return PSA_ERROR_PROGRAMMER_ERROR; /* not our client library */
    }
    load();
    const uint32_t allowed = fwu_policy_components(msg->client_id);
    const uint32_t c = args.component;
    switch (msg->type) {
    case FWU_IPC_INSTALL:
        return install(allowed);
    case FWU_IPC_REQUEST_REBOOT:
        if (allowed == 0u) {
            return PSA_ERROR_NOT_PERMITTED;
        }
        return sm_fwu_reboot();
    case FWU_IPC_REJECT:
        return reject(allowed, args.error);
    case FWU_IPC_ACCEPT:
        return accept(allowed);
    case FWU_IPC_QUERY:
    case FWU_IPC_START:
    case FWU_IPC_WRITE:
    case FWU_IPC_FINISH:
    case FWU_IPC_CANCEL:
    case FWU_IPC_CLEAN:
        break;
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
    if (c >= PSA_FWU_COMPONENT_COUNT || fwu.state[c] == NO_STATE) {
        return PSA_ERROR_DOES_NOT_EXIST;
    }
    if ((allowed & FWU_COMPONENT_BIT(c)) == 0u) {
        return PSA_ERROR_NOT_PERMITTED;
    }
    const uint8_t state = fwu.state[c];
    switch (msg->type) {
    case FWU_IPC_QUERY:
        return query(c, msg);
    case FWU_IPC_START:
        if (state != PSA_FWU_READY) {
            return PSA_ERROR_BAD_STATE;
        }
        if (msg->in_size[1] != 0u) {
            return PSA_ERROR_INVALID_ARGUMENT; /* the manifest is in the image (its TLVs) */
        }
        fwu.state[c] = PSA_FWU_WRITING;
        return PSA_SUCCESS;
    case FWU_IPC_WRITE:
        return state != PSA_FWU_WRITING ? PSA_ERROR_BAD_STATE : write(c, msg, args.offset);
    case FWU_IPC_FINISH:
        return state != PSA_FWU_WRITING ? PSA_ERROR_BAD_STATE : finish(c);
    case FWU_IPC_CANCEL:
        if (state != PSA_FWU_WRITING && state != PSA_FWU_CANDIDATE) {
            return PSA_ERROR_BAD_STATE;
        }
        return set_failed(c, PSA_SUCCESS);
    default: /* FWU_IPC_CLEAN */
        return state != PSA_FWU_FAILED && state != PSA_FWU_UPDATED ? PSA_ERROR_BAD_STATE : clean(c);
    }
}

void fwu_main(void)
{
    /* Each reply, the next wait and its psa_get are one kernel entry (sm/sm_service.h's
     * sm_reply_get). It waits for the service's signal alone, so each return holds a message. */
    psa_msg_t msg;
    (void)sm_reply_get(PSA_NULL_HANDLE, PSA_SUCCESS, SM_FWU_SIGNAL, &msg);
    for (;;) {
        (void)sm_reply_get(msg.handle, serve(&msg), SM_FWU_SIGNAL, &msg);
    }
}
