/*
 * its_limits.h: the limits of ITS's install-time configuration, shared by the engine (which
 * refuses anything else at mount) and `smtool provision` (which refuses it up front).
 * The area is at least ITS_SECTORS_MIN sectors; an asset is at most ITS_ASSET_SIZE_LIMIT bytes,
 * the largest whose record leaves a quarter of a sector free (docs/design/its.md, capacity).
 */
#ifndef ITS_LIMITS_H
#define ITS_LIMITS_H

#define ITS_SECTORS_MIN      4u
#define ITS_ASSET_SIZE_LIMIT 6048u

#endif /* ITS_LIMITS_H */
