/*
 * fwu_policy.h: the update policy of the firmware update service: which client may update which
 * component, and which components take only encrypted images.
 *
 * Contract: fwu_policy_components(client) is the set of components (bit i: component i) that
 * client may query, write, finish, cancel and clean, and take part in installing, accepting and
 * rejecting (docs/design/fwu.md says how the calls acting on every component use it); 0 for a
 * client the policy does not name. Both halves are declared, none is written here:
 * - the NS world (every negative client id), the device's update client in the field: the set
 *   the install configuration gives it (smtool provision --ns-updates, every component by
 *   default: the images' signatures, not the client, decide what may run);
 * - a secure partition: the set its manifest names ("fwu_components", docs/manifests.md),
 *   which the manifest tool gathers for every partition of the build (psa_manifest/pid.h);
 *   none if it names none. A module has none (its manifest may not name any).
 * FWU_ENCRYPTED_COMPONENTS have PSA_FWU_FLAG_ENCRYPTION: their images must be encrypted for
 * this device, and any other component's must not be.
 */
#ifndef FWU_POLICY_H
#define FWU_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "psa/update.h"
#include "psa_manifest/pid.h"
#include "sm/sm_device.h"

#define FWU_COMPONENT_BIT(c) (1u << (c))
#define FWU_ALL_COMPONENTS   ((1u << PSA_FWU_COMPONENT_COUNT) - 1u)

/* Every image is encrypted for the device it goes to (smtool sign -E DEVICE/enc.pub.pem). */
#define FWU_ENCRYPTED_COMPONENTS FWU_ALL_COMPONENTS

static inline uint32_t fwu_policy_components(int32_t client)
{
    if (client < 0) {
        return sm_install_config(SM_CONFIG_FWU_NS) & FWU_ALL_COMPONENTS;
    }
#if SM_FWU_PARTITION_POLICY_COUNT > 0
    static const struct {
        int32_t id;
        uint32_t components;
    } parts[] = SM_FWU_PARTITION_POLICY;
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (parts[i].id == client) {
            return parts[i].components & FWU_ALL_COMPONENTS;
        }
    }
#endif
    return 0;
}

#endif /* FWU_POLICY_H */
