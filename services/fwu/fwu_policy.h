/*
 * fwu_policy.h: the update policy of the firmware update service, declared once for the build:
 * which client may update which component, and which components take only encrypted images.
 *
 * Contract: fwu_policy_components(client) is the set of components (bit i: component i) that
 * client may query, write, finish, cancel and clean, and take part in installing, accepting and
 * rejecting (docs/design/fwu.md says how the calls acting on every component use it); 0 for a
 * client the policy does not name. The NS world (every negative client id) is the device's
 * update client in the field: it receives every signed image and may update every component;
 * the images' signatures, not the client, decide what may run. A secure partition may update
 * only what it is listed for here. FWU_ENCRYPTED_COMPONENTS have PSA_FWU_FLAG_ENCRYPTION:
 * their images must be encrypted for this device, and any other component's must not be.
 */
#ifndef FWU_POLICY_H
#define FWU_POLICY_H

#include <stdint.h>

#include "psa/update.h"
#include "psa_manifest/pid.h"

#define FWU_COMPONENT_BIT(c) (1u << (c))
#define FWU_ALL_COMPONENTS   ((1u << PSA_FWU_COMPONENT_COUNT) - 1u)
#define FWU_MODULES                                                                                \
    (FWU_ALL_COMPONENTS &                                                                          \
     ~(FWU_COMPONENT_BIT(PSA_FWU_COMPONENT_UROT) | FWU_COMPONENT_BIT(PSA_FWU_COMPONENT_SM) |       \
       FWU_COMPONENT_BIT(PSA_FWU_COMPONENT_NS)))

/* Every image is encrypted for the device it goes to (smtool sign -E DEVICE/enc.pub.pem). */
#define FWU_ENCRYPTED_COMPONENTS FWU_ALL_COMPONENTS

static inline uint32_t fwu_policy_components(int32_t client)
{
    if (client < 0) {
        return FWU_ALL_COMPONENTS;
    }
#ifdef TEST_FWU_CLIENT_PARTITION_ID
    /* The test partition of tests/partitions/fwu_client.json (present only in test images):
     * the NS image and the modules, not the boot chain. */
    if (client == TEST_FWU_CLIENT_PARTITION_ID) {
        return FWU_COMPONENT_BIT(PSA_FWU_COMPONENT_NS) | FWU_MODULES;
    }
#endif
    return 0;
}

#endif /* FWU_POLICY_H */
