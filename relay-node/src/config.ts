// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The relay's configuration: flags > environment (`SOTTO_RELAY_*`) > JSON file (`--config`) >
 * defaults, merged key by key and validated once with one schema.
 *
 * Every key has the same name in all three places: `maxReservationsPerIp` is the flag
 * `--max-reservations-per-ip`, the variable `SOTTO_RELAY_MAX_RESERVATIONS_PER_IP` and the file key
 * `maxReservationsPerIp`. Lists (`listen`, `announce`) repeat the flag, or separate by commas in the
 * environment.
 */

import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { multiaddr } from '@multiformats/multiaddr'
import { z } from 'zod'
import { ConfigError } from './errors.js'

const DAY = 86_400

/** Parses `90`, `90s`, `15m`, `2h`, `14d` into seconds. */
function seconds (v: unknown): unknown {
  if (typeof v !== 'string') return v
  const m = /^\s*(\d+)\s*(s|m|h|d)?\s*$/.exec(v)
  if (m == null) return v
  const n = Number(m[1])
  const unit = m[2] ?? 's'
  return n * (unit === 's' ? 1 : unit === 'm' ? 60 : unit === 'h' ? 3600 : DAY)
}

/** Parses `1048576`, `64KiB`, `64MiB`, `1GiB` into bytes. */
function bytes (v: unknown): unknown {
  if (typeof v !== 'string') return v
  const m = /^\s*(\d+)\s*(B|KiB|MiB|GiB)?\s*$/.exec(v)
  if (m == null) return v
  const unit = m[2] ?? 'B'
  return Number(m[1]) * (unit === 'B' ? 1 : unit === 'KiB' ? 1024 : unit === 'MiB' ? 1024 ** 2 : 1024 ** 3)
}

/** Splits a comma-separated string (from the environment) into a list. */
function commas (v: unknown): unknown {
  return typeof v === 'string' ? v.split(',').map(s => s.trim()).filter(s => s !== '') : v
}

const int = (min: number, max: number = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max)
const duration = (min: number, max: number) => z.preprocess(seconds, int(min, max))
const size = (min: number, max: number = Number.MAX_SAFE_INTEGER) => z.preprocess(bytes, int(min, max))

const multiaddrString = z.string().refine((s) => {
  try {
    multiaddr(s)
    return true
  } catch {
    return false
  }
}, { message: 'not a multiaddr' })

/** The schema, with every default. Field descriptions double as `--help` text. */
export const configSchema = z.object({
  data: z.string().min(1).describe('data directory: identity key, mailbox database and blobs (required)'),
  listen: z.preprocess(commas, z.array(multiaddrString).min(1)).default([
    '/ip4/0.0.0.0/tcp/4001',
    '/ip4/0.0.0.0/tcp/4002/ws',
    '/ip4/0.0.0.0/udp/4003/webrtc-direct'
  ]).describe('multiaddr to listen on (repeatable)'),
  announce: z.preprocess(commas, z.array(multiaddrString)).default([]).describe('public multiaddr to announce instead of the listen addresses (repeatable)'),
  http: z.string().regex(/^(off|\[?[0-9A-Za-z.:-]+\]?:\d{1,5})$/, 'HOST:PORT or off').default('127.0.0.1:9464').describe('HOST:PORT for /metrics, /livez, /readyz, or "off"'),
  stun: z.string().regex(/^(off|[0-9.]+:[1-9]\d{0,4})$/, 'IPv4:PORT or off').default('off').describe('IPv4:PORT (UDP) of a STUN binding responder for the relay\'s users, published in relay-info, or "off"'),
  metricsToken: z.string().min(16).optional().describe('if set, /metrics requires "Authorization: Bearer <token>" (secret)'),
  operator: z.string().max(128).default('').describe('operator name published in relay-info'),
  contact: z.string().max(256).default('').describe('operator contact URI published in relay-info (mailto:, https:)'),
  jurisdiction: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code in capitals, e.g. DE').describe('ISO 3166-1 alpha-2 code of where the relay and its data are (required)'),
  web: z.string().regex(/^(off|\[?[0-9A-Za-z.:-]+\]?:\d{1,5})$/, 'HOST:PORT or off').default('off').describe('HOST:PORT of a public web page with the relay link, its QR code and the operator\'s details, or "off"'),
  webUrl: z.preprocess(v => typeof v === 'string' ? v.replace(/\/$/, '') : v, z.string().max(512).regex(/^https?:\/\/[^/?#\s]+$/, 'http(s)://HOST[:PORT], no path')).optional().describe('public address of the web page (e.g. https://relay.example.org behind a TLS proxy), published in relay-info; default: http://<--web HOST:PORT> unless HOST is 0.0.0.0 or ::'),
  admission: z.enum(['open', 'invite']).default('open').describe('who may open a mailbox: "open" (anyone) or "invite" (with a join code from <data>/join-codes)'),
  maxLinksPerMailbox: int(1, 64).default(4).describe('per mailbox: most short invite links stored'),
  linkTtl: duration(3600, 90 * DAY).default(30 * DAY).describe('longest time a short invite link is kept after its last refresh'),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info').describe('log level'),
  retention: duration(60, 30 * DAY).default(14 * DAY).describe('longest time an envelope is kept (e.g. 14d; at most 30d)'),
  maxEnvelopesPerMailbox: int(1).default(10_000).describe('per mailbox: most envelopes held'),
  maxBytesPerMailbox: size(65_536).default(64 * 1024 ** 2).describe('per mailbox: most envelope bytes held (e.g. 64MiB)'),
  maxFileBytes: size(1024).default(100 * 1024 ** 2).describe('largest file a sender may upload for an offline recipient (e.g. 100MiB)'),
  maxFileBytesPerMailbox: size(1024).default(1024 ** 3).describe('per mailbox: most bytes of uploaded files held (e.g. 1GiB)'),
  maxMailboxes: int(1).default(100_000).describe('most mailboxes on this relay'),
  maxTokensPerMailbox: int(1).default(2000).describe('per mailbox: most deposit tokens'),
  maxTokens: int(1).default(2_000_000).describe('most deposit tokens on this relay'),
  mailboxExpiry: duration(60, 3650 * DAY).default(90 * DAY).describe('a mailbox whose owner has not used it this long is deleted (e.g. 90d)'),
  maxIntroductionEnvelopesPerMailbox: int(0).default(64).describe('per mailbox: most envelopes held that came with introduction tokens'),
  maxIntroductionBytesPerMailbox: size(0).default(1024 ** 2).describe('per mailbox: most bytes held that came with introduction tokens (e.g. 1MiB)'),
  maxIntroductionEnvelopeBytes: size(1024, 65_536).default(65_536).describe('largest envelope deposited with an introduction token (e.g. 16KiB)'),
  introductionRetention: duration(60, 30 * DAY).default(3 * DAY).describe('longest time an envelope deposited with an introduction token is kept (e.g. 3d)'),
  maxSubscribersPerMailbox: int(1, 64).default(4).describe('per mailbox: most live subscriptions'),
  contactBurst: int(1).default(1000).describe('per contact token: deposits at once'),
  contactPerHour: int(0).default(36_000).describe('per contact token: deposits refilled per hour'),
  introductionBurst: int(1).default(5).describe('per introduction token: deposits at once'),
  introductionPerHour: int(0).default(30).describe('per introduction token: deposits refilled per hour'),
  introductionPeerBurst: int(1).default(10).describe('per depositing peer: introduction deposits at once, all tokens together'),
  introductionPeerPerHour: int(0).default(60).describe('per depositing peer: introduction deposits refilled per hour'),
  introductionIpBurst: int(1).default(30).describe('per IP: introduction deposits at once, all tokens together'),
  introductionIpPerHour: int(0).default(300).describe('per IP: introduction deposits refilled per hour'),
  tokenBurst: int(1).default(500).describe('per IP: token registrations at once'),
  tokenPerHour: int(0).default(2000).describe('per IP: token registrations refilled per hour'),
  createBurst: int(1).default(20).describe('per IP: mailboxes created at once'),
  createPerHour: int(0).default(120).describe('per IP: mailbox creations refilled per hour'),
  createBurst48: int(1).default(40).describe('per IPv6 /48: mailboxes created at once (besides the /64 limit)'),
  createPerHour48: int(0).default(240).describe('per IPv6 /48: mailbox creations refilled per hour'),
  maxReservations: int(0).default(4096).describe('circuit relay: most reservations in all'),
  maxReservationsPerIp: int(0).default(8).describe('circuit relay: most reservations per IP address'),
  reservationTtl: duration(60, DAY).default(2 * 3600).describe('circuit relay: reservation lifetime (refreshed by clients)'),
  relayDuration: duration(0, 7 * DAY).default(3600).describe('circuit relay: longest relayed connection (0: no limit)'),
  relayData: size(0).default(64 * 1024 ** 2).describe('circuit relay: most bytes per relayed connection, both ways (0: no limit)'),
  maxConnections: int(1).default(8192).describe('most open connections'),
  maxConnectionsPerIp: int(1).default(64).describe('most open inbound connections per IP address'),
  inboundConnectionsPerSecond: int(1).default(10).describe('per IP: new inbound connections per second'),
  maxPendingConnections: int(1).default(128).describe('most inbound connections being set up at once'),
  abuseCoolDown: duration(0, DAY).default(10).describe('after a connection is closed for unreadable frames, how long its IP may not connect (doubled for each repeat, up to 1h; 0: never)'),
  forwardBurst: int(1).default(1000).describe('per user (a peer holding a reservation): deposits forwarded to other relays at once'),
  forwardPerHour: int(0).default(36_000).describe('per user: forwarded deposits refilled per hour'),
  forwardPrivate: z.enum(['on', 'off']).default('off').describe('"on": forward deposits to relays at private or loopback addresses too (private networks, tests)'),
  purgeInterval: duration(1, DAY).default(60).describe('how often expired envelopes are purged'),
  compactInterval: duration(1, 7 * DAY).default(600).describe('least time between compactions that wipe deleted envelopes from disk'),
  drainTimeout: duration(1, 600).default(30).describe('on the first SIGTERM/SIGINT, longest wait for requests in flight'),
  clockOffset: z.coerce.number().int().default(0).describe('milliseconds added to the clock (for tests of expiry)')
}).strict()

/** The validated configuration. */
export type RelayConfig = z.infer<typeof configSchema>

/** Keys whose values are never logged. */
export const SECRET_KEYS: ReadonlyArray<keyof RelayConfig> = ['metricsToken']

const LIST_KEYS = new Set(['listen', 'announce'])

function kebab (key: string): string {
  return key.replace(/[A-Z]/g, c => '-' + c.toLowerCase())
}

function envName (key: string): string {
  return 'SOTTO_RELAY_' + key.replace(/[A-Z]/g, c => '_' + c).toUpperCase()
}

/** What {@link loadConfig} returns. */
export type LoadedConfig =
  | { kind: 'config', config: RelayConfig }
  | { kind: 'help', text: string }
  | { kind: 'version' }

/** The `--help` text. */
export function helpText (): string {
  const lines = ['usage: sotto-relay --data DIR --jurisdiction CC [options]', '', 'options (flag, environment variable, default):']
  for (const [key, field] of Object.entries(configSchema.shape)) {
    const dflt = (field as z.ZodType).safeParse(undefined)
    const shown = dflt.success && dflt.data !== undefined ? ` (default ${JSON.stringify(dflt.data)})` : ''
    lines.push(`  --${kebab(key)}  ${envName(key)}`, `      ${(field as z.ZodType).description ?? ''}${shown}`)
  }
  lines.push('  --config FILE  SOTTO_RELAY_CONFIG', '      JSON file with any of the keys above, in camelCase', '  --help, --version')
  return lines.join('\n')
}

/**
 * Builds the configuration from command-line arguments, environment and (if named) a JSON file.
 * Throws {@link ConfigError} naming every problem.
 */
export function loadConfig (argv: string[], env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const keys = Object.keys(configSchema.shape)
  const options: Record<string, { type: 'string' | 'boolean', multiple?: boolean }> = {
    config: { type: 'string' },
    help: { type: 'boolean' },
    version: { type: 'boolean' }
  }
  for (const key of keys) options[kebab(key)] = { type: 'string', multiple: LIST_KEYS.has(key) }
  let parsed
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false })
  } catch (err) {
    throw new ConfigError(`${(err as Error).message} (see --help)`)
  }
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>
  if (values.help === true) return { kind: 'help', text: helpText() }
  if (values.version === true) return { kind: 'version' }

  let file: Record<string, unknown> = {}
  const configPath = (values.config as string | undefined) ?? env.SOTTO_RELAY_CONFIG
  if (configPath != null && configPath !== '') {
    try {
      const data: unknown = JSON.parse(readFileSync(configPath, 'utf8'))
      if (data == null || typeof data !== 'object' || Array.isArray(data)) throw new Error('the file must hold one JSON object')
      file = data as Record<string, unknown>
    } catch (err) {
      throw new ConfigError(`config file ${configPath}: ${(err as Error).message}`)
    }
  }
  const merged: Record<string, unknown> = { ...file }
  for (const key of keys) {
    const fromEnv = env[envName(key)]
    if (fromEnv != null && fromEnv !== '') merged[key] = fromEnv
    const fromFlag = values[kebab(key)]
    if (fromFlag != null) merged[key] = fromFlag
  }
  const result = configSchema.safeParse(merged)
  if (!result.success) {
    const problems = result.error.issues.map((i) => {
      const key = String(i.path[0] ?? '')
      const where = key !== '' && key in configSchema.shape ? `${key} (--${kebab(key)}, ${envName(key)})` : (key !== '' ? key : 'config')
      return `${where}: ${i.message}`
    })
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`)
  }
  return { kind: 'config', config: result.data }
}

/** The configuration as it may be logged: secrets replaced by `"[hidden]"`. */
export function redactConfig (config: RelayConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config }
  for (const key of SECRET_KEYS) if (out[key] != null) out[key] = '[hidden]'
  return out
}
