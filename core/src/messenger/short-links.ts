// SPDX-License-Identifier: AGPL-3.0-only
/**
 * This messenger's short invite link: its card sealed at a home relay under a random id, with a
 * key only the link carries. Kept in the store (`['shortlink']`), put again with a fresh card
 * whenever it is asked for and is over an hour old, and every 12 hours while the messenger runs,
 * so that it lives as long as the user runs Sotto (relays keep a link 30 days by default after
 * its last refresh). "New link" deletes it at the relay (it then answers "revoked") and makes
 * another.
 */
import { z } from 'zod'
import { StorageCorruptError } from '../errors.js'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { deleteLink, encodeShortLink, newLinkSecrets, putLink, sealCard } from '../links/index.js'
import { MAX_ADDRESS_HINT_BYTES } from '../links/constants.js'
import { multiaddr } from '@multiformats/multiaddr'
import { systemClock } from '../util/index.js'
import { decodeRecord, encodeRecord } from './records.js'
import type { LinkNode, PutLinkInit } from '../links/index.js'
import type { Logger } from '../logger.js'
import type { Clock, TimerHandle } from '../util/index.js'
import type { Mutex } from './lock.js'
import type { RelayRecord } from './records.js'
import type { Repositories } from './state.js'
import type { Key, Store } from '../storage/types.js'
import type { PrivateKey } from '@libp2p/interface'

/** What is kept of the short link. */
interface ShortLinkRecord {
  /** The home relay that stores it (as in the profile). */
  relay: string
  linkId: Uint8Array
  key: Uint8Array
  /** When it was last put (ms). */
  refreshedAt: number
}

const shortLinkSchema: z.ZodType<ShortLinkRecord> = z.looseObject({
  relay: z.string(),
  linkId: z.instanceof(Uint8Array),
  key: z.instanceof(Uint8Array),
  refreshedAt: z.number()
})

const KEY: Key = ['shortlink']
/** Seconds a relay is asked to keep the link after each refresh. */
const LINK_TTL_SECONDS = 30 * 86_400
/** A link asked for is put again with a fresh card when it is older than this. */
const STALE_MS = 3_600_000

/** A home relay's link service, as the owner of a mailbox there calls it. */
export interface LinkOwner {
  put(relay: string, mailboxKey: PrivateKey, init: PutLinkInit): Promise<unknown>
  delete(relay: string, mailboxKey: PrivateKey, linkId: Uint8Array): Promise<void>
}

/** The link service of relays reached through `node`. */
export function linkOwner (node: LinkNode): LinkOwner {
  return {
    put: async (relay, mailboxKey, init) => putLink(node, relay, mailboxKey, init),
    delete: async (relay, mailboxKey, linkId) => deleteLink(node, relay, mailboxKey, linkId)
  }
}

/** Options of {@link ShortLinks}. */
export interface ShortLinksInit {
  /** While running, the link is refreshed this often (default 12 hours). */
  refreshMs?: number
  /** Time and timers (default the system's). */
  clock?: Clock
}

/** What short links use. */
export interface ShortLinksComponents {
  store: Pick<Store, 'get' | 'transaction'>
  lock: Pick<Mutex, 'run'>
  log: Logger
  repos: Pick<Repositories, 'relays'>
  links: LinkOwner
}

/** The short link of one messenger. */
export class ShortLinks {
  private timer?: TimerHandle
  private work: Promise<unknown> = Promise.resolve()
  private readonly refreshMs: number
  private readonly clock: Clock

  /**
   * @param signedCard - the messenger's current signed invite card
   * @param readyRelays - the home relays that are ready, in order of preference
   */
  constructor (private readonly components: ShortLinksComponents, private readonly signedCard: () => Promise<Uint8Array>, private readonly readyRelays: () => Promise<RelayRecord[]>, init: ShortLinksInit = {}) {
    this.refreshMs = init.refreshMs ?? 12 * 3_600_000
    this.clock = init.clock ?? systemClock
  }

  /** Starts refreshing the link (if there is one) while the messenger runs. */
  start (): void {
    const tick = (): void => {
      this.timer = this.clock.setTimeout(tick, this.refreshMs)
      void this.current(true).catch(err => { this.components.log.debug('short link refresh failed', { err: (err as Error).message }) })
    }
    this.timer = this.clock.setTimeout(tick, this.refreshMs)
  }

  /** Stops refreshing. */
  stop (): void {
    if (this.timer != null) this.clock.clearTimeout(this.timer)
    this.timer = undefined
  }

  /**
   * The short link, made at the first ready home relay whose address fits one if there is none
   * yet; undefined without such a relay. `refreshOnly`: only refresh an existing link.
   */
  async current (refreshOnly = false): Promise<string | undefined> {
    return this.serially(async () => {
      let record = await this.read()
      const relays = await this.readyRelays()
      if (record != null && !relays.some(r => r.addr === record?.relay)) {
        await this.forget(record)
        record = undefined
      }
      if (record == null) {
        if (refreshOnly) return undefined
        const relay = relays.find(r => fits(r.addr))
        if (relay == null) return undefined
        record = { relay: relay.addr, ...newLinkSecrets(), refreshedAt: 0 }
      }
      if (this.clock.now() - record.refreshedAt > STALE_MS || refreshOnly) await this.put(record)
      return encodeShortLink({ relay: record.relay, linkId: record.linkId, key: record.key })
    })
  }

  /** Revokes the short link at its relay (the relay must be reached) and makes a new one. */
  async renew (): Promise<string | undefined> {
    await this.serially(async () => {
      const record = await this.read()
      if (record == null) return
      const relay = await this.components.repos.relays.get(record.relay)
      if (relay != null) await this.components.links.delete(record.relay, privateKeyFromProtobuf(relay.mailboxKey), record.linkId)
      await this.write(undefined)
    })
    return this.current()
  }

  /**
   * A one-time short link to `signedCard` (a guest's invitation), at the first ready home relay whose
   * address fits one; kept nowhere here, it expires at the relay with the invitation (30 days).
   * Undefined without such a relay.
   */
  async once (signedCard: Uint8Array): Promise<string | undefined> {
    const relay = (await this.readyRelays()).find(r => fits(r.addr))
    if (relay == null) return undefined
    const { linkId, key } = newLinkSecrets()
    await this.components.links.put(relay.addr, privateKeyFromProtobuf(relay.mailboxKey), { linkId, sealed: sealCard(signedCard, linkId, key), ttl: LINK_TTL_SECONDS })
    return encodeShortLink({ relay: relay.addr, linkId, key })
  }

  private async put (record: ShortLinkRecord): Promise<void> {
    const relay = await this.components.repos.relays.get(record.relay)
    if (relay == null) return
    const sealed = sealCard(await this.signedCard(), record.linkId, record.key)
    await this.components.links.put(record.relay, privateKeyFromProtobuf(relay.mailboxKey), { linkId: record.linkId, sealed, ttl: LINK_TTL_SECONDS })
    await this.write({ ...record, refreshedAt: this.clock.now() })
  }

  /** Drops a link whose relay is no longer a ready home relay (deleting it there if it can). */
  private async forget (record: ShortLinkRecord): Promise<void> {
    const relay = await this.components.repos.relays.get(record.relay)
    if (relay != null) await this.components.links.delete(record.relay, privateKeyFromProtobuf(relay.mailboxKey), record.linkId).catch(() => {})
    await this.write(undefined)
  }

  private async read (): Promise<ShortLinkRecord | undefined> {
    const bytes = await this.components.store.get(KEY)
    if (bytes == null) return undefined
    const parsed = shortLinkSchema.safeParse(decodeRecord<unknown>(bytes))
    if (!parsed.success) throw new StorageCorruptError('the stored short link record is malformed', { cause: parsed.error })
    return parsed.data
  }

  private async write (record: ShortLinkRecord | undefined): Promise<void> {
    await this.components.lock.run(async () => {
      const tx = this.components.store.transaction()
      if (record == null) tx.del(KEY)
      else tx.put(KEY, encodeRecord(record))
      await tx.commit()
    })
  }

  private async serially<T> (fn: () => Promise<T>): Promise<T> {
    const run = this.work.then(fn, fn)
    this.work = run.catch(() => {})
    return run
  }
}

function fits (addr: string): boolean {
  const components = multiaddr(addr).getComponents()
  return multiaddr(components.slice(0, -1)).bytes.byteLength <= MAX_ADDRESS_HINT_BYTES
}
