// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What a backup holds, and restoring it into a new data directory. A backup holds the identity,
 * the profile's name, the settings, the home relays, the contacts and, by choice, the history
 * (messages, and the ids of every message seen, so that nothing is shown twice). It holds no
 * session, prekey or outbox: the restored installation starts its own (see relocation.ts).
 */
import { readdir, rm } from 'node:fs/promises'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { z } from 'zod'
import { openBackup, sealBackup } from '../backup/index.js'
import { acceptIdentity, backupOfLocalIdentity, loadLocalIdentity, restoreLocalIdentity } from '../crypto/index.js'
import { BackupFormatError, DataDirectoryNotEmptyError, StorageCorruptError } from '../errors.js'
import { DEFAULT_LISTEN } from '../net/node.js'
import { openStore } from '../storage/index.js'
import { Mutex } from './lock.js'
import { decodeRecord, encodeRecord, keys } from './records.js'
import { relocationRecord } from './relocation.js'
import { contactSchema, messageRefSchema, messageSchema, relaySchema, settingsSchema } from './schemas.js'
import { Repositories, State } from './state.js'
import type { LocalIdentity, LocalIdentityBackup } from '../crypto/index.js'
import type { KeySource, StoreReader } from '../storage/types.js'
import type { ContactRecord, MessageRecord, MessageRef, RelayRecord } from './records.js'
import type { Settings } from './types.js'

/** The layout version of a backup's payload. */
const PAYLOAD_FORMAT = 1

/** What a backup holds. */
export interface BackupContent {
  format: typeof PAYLOAD_FORMAT
  exportedAt: number
  identity: LocalIdentityBackup
  name: string
  settings: Partial<Settings>
  relays: RelayRecord[]
  contacts: ContactRecord[]
  /** Absent in a backup made without history. */
  history?: { messages: MessageRecord[], refs: MessageRef[] }
}

const bytes = z.instanceof(Uint8Array)

const contentSchema = z.looseObject({
  format: z.literal(PAYLOAD_FORMAT),
  exportedAt: z.number(),
  identity: z.looseObject({ userId: z.string(), registrationId: z.number(), keyPair: bytes, createdAt: z.number(), installation: z.number().int().min(1) }),
  name: z.string(),
  settings: settingsSchema,
  relays: z.array(relaySchema),
  contacts: z.array(contactSchema),
  history: z.looseObject({ messages: z.array(messageSchema), refs: z.array(messageRefSchema) }).optional()
})

/** Options of {@link exportBackup}. */
export interface ExportBackupOptions {
  /** The recovery passphrase (the caller checks it against the passphrase rule). */
  passphrase: string
  /** Include the messages (default true). */
  history?: boolean
  /** scrypt cost of the file, log2(N) (tests lower it). */
  scryptLogN?: number
}

/** The backup file of the messenger state in `reader`, sealed under the recovery passphrase. */
export async function exportBackup (repos: Repositories, reader: StoreReader, options: ExportBackupOptions): Promise<Uint8Array> {
  const identity = await loadLocalIdentity(reader)
  const profile = await repos.profile.get(reader)
  if (identity == null || profile == null) throw new StorageCorruptError('the data directory holds no identity to back up')
  const content: BackupContent = {
    format: PAYLOAD_FORMAT,
    exportedAt: Date.now(),
    identity: backupOfLocalIdentity(identity),
    name: profile.name,
    settings: await repos.settings.get(reader) ?? {},
    relays: await collect(repos.relays.values(keys.relays(), {}, reader)),
    contacts: await collect(repos.contacts.values(keys.contacts(), {}, reader))
  }
  if (options.history !== false) {
    content.history = {
      messages: await collect(repos.messages.values(['msg'], {}, reader)),
      refs: await collect(repos.refs.values(keys.messageRefs(), {}, reader))
    }
  }
  return await sealBackup(encodeRecord(content), options.passphrase, options.scryptLogN != null ? { scryptLogN: options.scryptLogN } : {})
}

/** Options of {@link restoreBackup}. */
export interface RestoreBackupOptions {
  /** The backup file's bytes. */
  file: Uint8Array
  /** The recovery passphrase it was sealed with. */
  recoveryPassphrase: string
  /** The new data directory: missing or empty. */
  dataDir: string
  /** What will unlock the new data directory. */
  keySource: KeySource
  /** scrypt cost of the new directory's passphrase (tests lower it). */
  scryptLogN?: number
}

/** What a restore brought back. */
export interface RestoreSummary {
  userId: string
  /** The restored installation's number: the backup's plus one. */
  installation: number
  contacts: number
  messages: number
}

/**
 * Restores a backup into a new data directory, as the next installation of its identity. Throws
 * WrongBackupPassphraseError (or BackupFormatError, UnsupportedBackupVersionError) before writing
 * anything, DataDirectoryNotEmptyError for a directory that holds anything.
 */
export async function restoreBackup (options: RestoreBackupOptions): Promise<RestoreSummary> {
  const existing = await readdir(options.dataDir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return []
    throw err
  })
  if (existing.length > 0) throw new DataDirectoryNotEmptyError(`a backup is restored into a new data directory only; ${options.dataDir} is not empty`)
  const content = parseContent(await openBackup(options.file, options.recoveryPassphrase))
  const store = await openStore({ dir: options.dataDir, keySource: options.keySource, ...(options.scryptLogN != null ? { scryptLogN: options.scryptLogN } : {}) })
  try {
    const summary = await writeRestored(new Repositories(new State(store, new Mutex())), content)
    await store.close()
    return summary
  } catch (err) {
    await store.close().catch(() => {})
    // The directory was new and empty: nothing of a failed restore stays.
    await rm(options.dataDir, { recursive: true, force: true })
    throw err
  }
}

function parseContent (payload: Uint8Array): BackupContent {
  let decoded: unknown
  try {
    decoded = decodeRecord<unknown>(payload)
  } catch (err) {
    throw new BackupFormatError('the backup\'s content is unreadable', { cause: err })
  }
  const parsed = contentSchema.safeParse(decoded)
  if (!parsed.success) throw new BackupFormatError('the backup\'s content is malformed', { cause: parsed.error })
  return parsed.data as BackupContent
}

/** Writes a backup's content into a new store, in one transaction. */
async function writeRestored (repos: Repositories, content: BackupContent): Promise<RestoreSummary> {
  const now = Date.now()
  const installation = content.identity.installation + 1
  return await repos.state.change(async tx => {
    const identity: LocalIdentity = await restoreLocalIdentity(tx, content.identity, installation, now)
    repos.profile.put(tx, {
      name: content.name,
      peerKey: privateKeyToProtobuf(await generateKeyPair('Ed25519')),
      listen: DEFAULT_LISTEN,
      // Joined afresh at the first start: a new mailbox at each (see relocation.ts).
      relays: [],
      createdAt: now
    })
    repos.settings.put(tx, content.settings)
    const home = content.relays.filter(r => r.leaving !== true)
    relocationRecord(repos.state).put(tx, {
      installation,
      joinRelays: home.map(r => r.addr),
      previousMailboxes: home.map(r => ({ addr: r.addr, mailboxId: r.mailboxId, introToken: r.introToken }))
    })
    const messages = content.history?.messages ?? []
    for (const c of content.contacts) {
      await acceptIdentity(tx, c.id, c.identityKey)
      repos.contacts.put(tx, restoredContact(c, messages.some(m => m.contactId === c.id)))
    }
    for (const m of messages) {
      repos.messages.put(tx, m)
      if (m.direction === 'in' && m.readAt == null) repos.unread.put(tx, { contactId: m.contactId, sentAt: m.sentAt, order: m.order })
      if (m.expiresAt != null) repos.expiries.put(tx, { contactId: m.contactId, sentAt: m.sentAt, order: m.order, id: m.id, expiresAt: m.expiresAt })
    }
    for (const ref of content.history?.refs ?? []) if (ref.id != null) repos.refs.put(tx, ref, ref.id)
    return { userId: identity.userId, installation, contacts: content.contacts.length, messages: messages.length }
  })
}

/** A contact as the restored installation starts with it: no tokens of its own yet, to be told of the move. */
function restoredContact (c: ContactRecord, withHistory: boolean): ContactRecord {
  const { issued: _issued, tokensDirty: _dirty, ...rest } = c
  return {
    ...rest,
    nextOutbox: 0,
    tokensDirty: true,
    ...(withHistory ? {} : { unread: 0, lastMessageId: undefined }),
    ...(c.status === 'contact' && !c.blocked ? { relocation: 'notify' as const } : {})
  }
}

async function collect<T> (values: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const v of values) out.push(v)
  return out
}
