// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The host part of a multiaddr, for per-IP limits.
 */

import type { Multiaddr } from '@multiformats/multiaddr'

/** The IP address (or DNS name) a multiaddr starts with, or `'unknown'`. */
export function hostOf (addr: Multiaddr): string {
  for (const c of addr.getComponents()) {
    if (c.name === 'ip4' || c.name === 'ip6' || c.name === 'dns' || c.name === 'dns4' || c.name === 'dns6') return c.value ?? 'unknown'
  }
  return 'unknown'
}
