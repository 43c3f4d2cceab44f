// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The desktop app's own file in the data directory, `desktop.json`: how the storage key is kept,
 * the relays chosen, and display preferences. It holds no secrets and no contact data; it is
 * validated on every read because it is a file anyone with the account can edit.
 */
import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { relayAddressSchema } from '../shared/contract.js'
import { ConfigError } from './errors.js'

const relayEntry = z.strictObject({
  address: relayAddressSchema,
  operator: z.string().max(200).optional(),
  jurisdiction: z.string().regex(/^[A-Z]{2}$/).optional(),
  source: z.enum(['default', 'user']),
  enabled: z.boolean()
})

/** Schema of `desktop.json`. */
export const desktopConfigSchema = z.strictObject({
  version: z.literal(1),
  keyMode: z.enum(['host-key', 'passphrase']),
  relays: z.array(relayEntry).max(64),
  prefs: z.strictObject({
    theme: z.enum(['system', 'light', 'dark']),
    notifications: z.boolean(),
    notificationPreview: z.enum(['none', 'name', 'name-and-text']),
    // Added later: files written before lack them.
    closeToTray: z.boolean().default(true),
    startAtLogin: z.boolean().default(false)
  })
})

/** The content of `desktop.json`. */
export type DesktopConfig = z.infer<typeof desktopConfigSchema>

/** One relay entry of the config. */
export type RelayEntry = z.infer<typeof relayEntry>

/** A relay offered by default, with what its operator publishes. */
export interface RelayInfo {
  /** Multiaddr ending in /p2p/<peerId>. */
  address: string
  /** Who runs it. */
  operator?: string
  /** ISO 3166-1 alpha-2 code. */
  jurisdiction?: string
  /** A join code for an invite-only relay, from a distributor's list. */
  code?: string
}

/**
 * Preferences of a fresh install: notifications on, but showing neither name nor text; closing the
 * window keeps Sotto in the tray (so it stays reachable); not started at login.
 */
export const DEFAULT_PREFS: DesktopConfig['prefs'] = {
  theme: 'system',
  notifications: true,
  notificationPreview: 'none',
  closeToTray: true,
  startAtLogin: false
}

/** What the host offers beyond a window: a tray, and starting at login. */
export interface HostFeatures {
  /** A tray icon exists, so the window may close into it. */
  tray: boolean
  /** The OS can start the app at login. */
  loginItem: boolean
}

/** Path of the config file in a data directory. */
export function configPath (dataDir: string): string {
  return join(dataDir, 'desktop.json')
}

/** Reads the config, or undefined when the data directory has none (not set up yet). */
export async function readConfig (dataDir: string): Promise<DesktopConfig | undefined> {
  let text: string
  try {
    text = await readFile(configPath(dataDir), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new ConfigError('desktop.json is not valid JSON')
  }
  const parsed = desktopConfigSchema.safeParse(json)
  if (!parsed.success) throw new ConfigError('desktop.json does not match its schema')
  return parsed.data
}

/** Writes the config atomically (temporary file, then rename). */
export async function writeConfig (dataDir: string, config: DesktopConfig): Promise<void> {
  const checked = desktopConfigSchema.parse(config)
  const file = configPath(dataDir)
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, JSON.stringify(checked, null, 2) + '\n', { mode: 0o600 })
  await rename(tmp, file)
}
