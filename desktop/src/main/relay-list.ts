// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Relay lists a distributor ships with the app: `relays.txt` (one `sotto://relay/…` link a line;
 * blank lines and lines starting with `#` are skipped) or `relays.json` (an array of such links),
 * read from each directory given — beside the app and in the data directory. Onboarding offers
 * the relays they name. A malformed entry is skipped and logged, never fatal: the rest still count.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { relayAddressSchema } from '../shared/contract.js'
import type { LinkReader } from './core-loader.js'
import type { RelayInfo } from './desktop-config.js'
import type { Logger } from '@sotto/core'

/** The file names read in each directory, in this order. */
const RELAY_LIST_FILES = ['relays.txt', 'relays.json'] as const

/** Most entries read from one file. */
const MAX_ENTRIES = 64

/** Largest list file read, in bytes. */
const MAX_FILE_BYTES = 256 * 1024

const jsonList = z.array(z.string().max(2048)).max(MAX_ENTRIES)

/** The lines (or JSON entries) of one list file; none when it does not exist. */
async function entriesOf (file: string, log?: Logger): Promise<string[]> {
  let text: string
  try {
    const bytes = await readFile(file)
    if (bytes.byteLength > MAX_FILE_BYTES) {
      log?.warn('relay list too large, ignored', { file, bytes: bytes.byteLength })
      return []
    }
    text = bytes.toString('utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log?.warn('relay list unreadable', { file, error: (err as Error).name })
    return []
  }
  if (!file.endsWith('.json')) {
    return text.split(/\r?\n/).map(l => l.trim()).filter(l => l !== '' && !l.startsWith('#')).slice(0, MAX_ENTRIES)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  const list = jsonList.safeParse(parsed)
  if (!list.success) log?.warn('relay list is not a JSON array of relay links, ignored', { file })
  return list.success ? list.data : []
}

/**
 * The relays named by the list files in `dirs`, each once (the first entry of an address wins).
 * Each entry is a relay link; its operator, contact, jurisdiction and join code are kept.
 */
export async function readRelayLists (dirs: readonly string[], links: Pick<LinkReader, 'decodeRelayLink'>, log?: Logger): Promise<RelayInfo[]> {
  const found = new Map<string, RelayInfo>()
  for (const dir of dirs) {
    for (const name of RELAY_LIST_FILES) {
      let skipped = 0
      for (const entry of await entriesOf(join(dir, name), log)) {
        try {
          const link = await links.decodeRelayLink(entry)
          if (!relayAddressSchema.safeParse(link.addr).success || found.has(link.addr)) continue
          const info: RelayInfo = { address: link.addr }
          if (link.operator != null) info.operator = link.operator.slice(0, 200)
          if (link.jurisdiction != null) info.jurisdiction = link.jurisdiction
          if (link.code != null) info.code = link.code
          found.set(link.addr, info)
        } catch {
          skipped++
        }
      }
      if (skipped > 0) log?.warn('skipped malformed entries of a relay list', { file: join(dir, name), skipped })
    }
  }
  return [...found.values()]
}
