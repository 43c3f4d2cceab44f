// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The relays offered during onboarding: `SOTTO_RELAYS` (comma-separated multiaddrs) and a
 * distributor's relay list files, or the community list shipped with the app (empty until public
 * relays exist).
 */
import { relayAddressSchema } from '../shared/contract.js'
import type { RelayInfo } from './desktop-config.js'

/** Relays run by the community, with what their operators publish. */
export const COMMUNITY_RELAYS: readonly RelayInfo[] = []

/**
 * The default relays for this run: `extra` (command line) and `SOTTO_RELAYS`, then the relays of a
 * distributor's list files (`listed`, see relay-list.ts); Sotto's own list when there are none.
 * Malformed entries of `SOTTO_RELAYS` are skipped.
 */
export function defaultRelays (env: NodeJS.ProcessEnv = process.env, extra: string[] = [], listed: readonly RelayInfo[] = []): RelayInfo[] {
  const fromEnv = (env.SOTTO_RELAYS ?? '').split(',').map(s => s.trim()).filter(s => s !== '')
  const addresses = [...new Set([...extra, ...fromEnv].filter(a => relayAddressSchema.safeParse(a).success))]
  const all: RelayInfo[] = [...addresses.map(address => ({ address })), ...listed.filter(l => !addresses.includes(l.address))]
  return all.length === 0 ? [...COMMUNITY_RELAYS] : all
}
