// SPDX-License-Identifier: AGPL-3.0-only
/**
 * This messenger's short invite link: its card sealed at a home relay under a random id, with a
 * key only the link carries. Kept in the store (`['shortlink']`), put again with a fresh card
 * whenever it is asked for and is over an hour old, and every 12 hours while the messenger runs,
 * so that it lives as long as the user runs Sotto (relays keep a link 30 days by default after
 * its last refresh). "New link" deletes it at the relay (it then answers "revoked") and makes
 * another.
 */
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { deleteLink, encodeShortLink, newLinkSecrets, putLink, sealCard } from '../links/index.js'
import { MAX_ADDRESS_HINT_BYTES } from '../links/constants.js'
import { multiaddr } from '@multiformats/multiaddr'
import { decodeRecord, encodeRecord } from './records.js'
import type { Context } from './context.js'
import type { RelayRecord } from './records.js'
import type { Key } from '../storage/types.js'

/** What is kept of the short link. */
interface ShortLinkRecord {
  /** The home relay that stores it (as in the profile). */
  relay: string
  linkId: Uint8Array
  key: Uint8Array
  /** When it was last put (ms). */
  refreshedAt: number
}

const KEY: Key = ['shortlink']
/** Seconds a relay is asked to keep the link after each refresh. */
const LINK_TTL_SECONDS = 30 * 86_400
/** A link asked for is put again with a fresh card when it is older than this. */
const STALE_MS = 3_600_000
/** While running, the link is refreshed this often. */
const REFRESH_MS = 12 * 3_600_000

/** The short link of one messenger. */
export class ShortLinks {
  private timer?: ReturnType<typeof setInterval>
  private work: Promise<unknown> = Promise.resolve()

  /**
   * @param signedCard - the messenger's current signed invite card
   * @param readyRelays - the home relays that are ready, in order of preference
   */
  constructor (private readonly ctx: Context, private readonly signedCard: () => Promise<Uint8Array>, private readonly readyRelays: () => Promise<RelayRecord[]>) {}

  /** Starts refreshing the link (if there is one) while the messenger runs. */
  start (): void {
    this.timer = setInterval(() => { void this.current(true).catch(err => { this.ctx.log.debug('short link refresh failed', { err: (err as Error).message }) }) }, REFRESH_MS)
    this.timer.unref()
  }

  /** Stops refreshing. */
  stop (): void {
    clearInterval(this.timer)
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
      if (Date.now() - record.refreshedAt > STALE_MS || refreshOnly) await this.put(record)
      return encodeShortLink({ relay: record.relay, linkId: record.linkId, key: record.key })
    })
  }

  /** Revokes the short link at its relay (the relay must be reached) and makes a new one. */
  async renew (): Promise<string | undefined> {
    await this.serially(async () => {
      const record = await this.read()
      if (record == null) return
      const relay = await this.ctx.repos.relays.get(record.relay)
      if (relay != null) await deleteLink(this.ctx.node, record.relay, privateKeyFromProtobuf(relay.mailboxKey), record.linkId)
      await this.write(undefined)
    })
    return this.current()
  }

  private async put (record: ShortLinkRecord): Promise<void> {
    const relay = await this.ctx.repos.relays.get(record.relay)
    if (relay == null) return
    const sealed = sealCard(await this.signedCard(), record.linkId, record.key)
    await putLink(this.ctx.node, record.relay, privateKeyFromProtobuf(relay.mailboxKey), { linkId: record.linkId, sealed, ttl: LINK_TTL_SECONDS })
    await this.write({ ...record, refreshedAt: Date.now() })
  }

  /** Drops a link whose relay is no longer a ready home relay (deleting it there if it can). */
  private async forget (record: ShortLinkRecord): Promise<void> {
    const relay = await this.ctx.repos.relays.get(record.relay)
    if (relay != null) await deleteLink(this.ctx.node, record.relay, privateKeyFromProtobuf(relay.mailboxKey), record.linkId).catch(() => {})
    await this.write(undefined)
  }

  private async read (): Promise<ShortLinkRecord | undefined> {
    const bytes = await this.ctx.store.get(KEY)
    return bytes == null ? undefined : decodeRecord<ShortLinkRecord>(bytes)
  }

  private async write (record: ShortLinkRecord | undefined): Promise<void> {
    await this.ctx.lock.run(async () => {
      const tx = this.ctx.store.transaction()
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
