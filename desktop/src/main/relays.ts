// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The relays offered during onboarding: `SOTTO_RELAYS` (comma-separated multiaddrs), or the
 * community list shipped with the app (empty until public relays exist).
 */
import { relayAddressSchema } from '../shared/contract.js'
import type { RelayInfo } from './desktop-config.js'

/** Relays run by the community, with what their operators publish. */
export const COMMUNITY_RELAYS: readonly RelayInfo[] = []

/** The default relays for this run. Malformed entries of `SOTTO_RELAYS` are skipped. */
export function defaultRelays (env: NodeJS.ProcessEnv = process.env, extra: string[] = []): RelayInfo[] {
  const fromEnv = (env.SOTTO_RELAYS ?? '').split(',').map(s => s.trim()).filter(s => s !== '')
  const addresses = [...extra, ...fromEnv].filter(a => relayAddressSchema.safeParse(a).success)
  if (addresses.length === 0) return [...COMMUNITY_RELAYS]
  return [...new Set(addresses)].map(address => ({ address }))
}
