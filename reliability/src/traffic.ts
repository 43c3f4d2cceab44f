// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Chat traffic between two `sotto` peers, and the ledger that judges it: what the sender was told
 * was stored (acknowledged), what the recipient showed (and how often), what arrived, what stays
 * queued. Message texts are markers (`<tag>-<n>`); they are compared, never logged.
 */

import type { SottoPeer } from './programs.js'

/** Makes two initialised peers contacts: A adds B's invite, B accepts A's request. Both must be running. */
export async function pair (a: SottoPeer, b: SottoPeer, bInvite: string): Promise<{ aSeesB: string, bSeesA: string }> {
  const added = await a.command({ cmd: 'add', invite: bInvite, alias: b.label }) as { contact: string }
  const request = await b.live.next(l => l.event === 'request' && l.peerId === a.peerId, 60_000)
  const bSeesA = String(request.contact)
  await b.command({ cmd: 'accept', contact: bSeesA })
  return { aSeesB: added.contact, bSeesA }
}

/** Numbers as compact ranges: `3-7,9,12-13`. */
export function ranges (numbers: number[]): string {
  const sorted = [...numbers].sort((a, b) => a - b)
  const out: string[] = []
  for (let i = 0; i < sorted.length;) {
    let j = i
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++
    out.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`)
    i = j + 1
  }
  return out.join(',')
}

/** The verdict on one direction of traffic. */
export interface Verdict {
  /** Messages the sender acknowledged as stored (`send` answered). */
  acknowledged: number
  /** Acknowledged messages missing from the recipient's history. */
  lost: number
  /** Extra showings: the same message shown more than once (events or history). */
  duplicates: number
  /** Outgoing messages still `queued` in the sender's history. */
  stuckQueued: number
  /** Messages out of the sender's order in the recipient's history. */
  outOfOrder: number
  /** Outgoing messages by state in the sender's history. */
  states: Record<string, number>
}

/** One direction of traffic: `from` sends to `to`. */
export class Flow {
  /** Acknowledged texts, in the order the sender acknowledged them. */
  readonly acknowledged: string[] = []
  /** How often the recipient showed each text (`message` events across restarts). */
  readonly shown = new Map<string, number>()
  /** Send commands that failed or were cut off by a crash. */
  failedSends = 0
  /** Ids of acknowledged messages. */
  private readonly ids = new Set<string>()
  /** The id of each acknowledged text. */
  private readonly idOf = new Map<string, string>()
  /** States each message id of the sender was reported in (status events, any flow). */
  private readonly states = new Map<string, Set<string>>()
  private next = 0

  /**
   * `toContact`: the recipient as the sender names it; `fromContact`: the sender as the
   * recipient names it.
   */
  constructor (readonly from: SottoPeer, readonly to: SottoPeer, readonly toContact: string, readonly fromContact: string, readonly tag: string) {
    to.onEvent(l => {
      if (l.event !== 'message' || l.from !== fromContact) return
      const text = String(l.text)
      if (!text.startsWith(`${tag}-`)) return
      this.shown.set(text, (this.shown.get(text) ?? 0) + 1)
    })
    from.onEvent(l => {
      if (l.event !== 'status') return
      const seen = this.states.get(String(l.id)) ?? new Set<string>()
      seen.add(String(l.state))
      this.states.set(String(l.id), seen)
    })
  }

  /** The states the sender reported for an acknowledged text, in no order (`none` if none). */
  statesOf (text: string): string {
    const id = this.idOf.get(text)
    const seen = id != null ? this.states.get(id) : undefined
    return seen == null || seen.size === 0 ? 'none' : [...seen].sort().join('+')
  }

  /** Acknowledged texts not shown by the recipient, counted by the states the sender reported. */
  unshownByState (): Record<string, number> {
    const out: Record<string, number> = {}
    for (const t of this.acknowledged) {
      if ((this.shown.get(t) ?? 0) > 0) continue
      const k = this.statesOf(t)
      out[k] = (out[k] ?? 0) + 1
    }
    return out
  }

  /** Acknowledged messages a relay held at some point (reported `sent`). */
  get viaRelay (): number {
    let n = 0
    for (const id of this.ids) if (this.states.get(id)?.has('sent') === true) n++
    return n
  }

  /** How many were sent (attempted) so far. */
  get sent (): number {
    return this.next
  }

  /**
   * Sends `count` messages, at most `window` commands in flight. A send cut off by a crash of the
   * sender is not acknowledged, and not retried (the user would see it failed).
   */
  async send (count: number, window = 32): Promise<void> {
    const inFlight = new Set<Promise<void>>()
    for (let i = 0; i < count; i++) {
      const text = `${this.tag}-${this.next++}`
      const p = this.sendOne(text).finally(() => inFlight.delete(p))
      inFlight.add(p)
      if (inFlight.size >= window) await Promise.race(inFlight)
    }
    await Promise.all(inFlight)
  }

  private async sendOne (text: string): Promise<void> {
    try {
      const result = await this.from.command({ cmd: 'send', to: this.toContact, text }, 120_000) as { id: string }
      this.ids.add(result.id)
      this.idOf.set(text, result.id)
      this.acknowledged.push(text)
    } catch {
      this.failedSends++
    }
  }

  /** Incoming texts of this flow in the recipient's history, in its order. */
  async received (): Promise<string[]> {
    const history = await this.to.history(this.fromContact)
    return history.filter(m => m.direction === 'in' && String(m.text).startsWith(`${this.tag}-`)).map(m => String(m.text))
  }

  /** Acknowledged texts not (yet) in the recipient's history, in the sender's order. */
  async missing (): Promise<string[]> {
    const got = new Set(await this.received())
    return this.acknowledged.filter(t => !got.has(t))
  }

  /** Whether every acknowledged message is in the recipient's history. */
  async complete (): Promise<boolean> {
    return (await this.missing()).length === 0
  }

  /**
   * What explains the missing messages, in numbers and the test's own markers only: which are
   * missing (as ranges of marker numbers), their state in the sender's history now, and the
   * states the sender reported for them (`status` events, all incarnations).
   */
  async diagnose (): Promise<Record<string, unknown>> {
    const missing = await this.missing()
    const history = await this.from.history(this.toContact)
    const stateNow = new Map(history.filter(m => m.direction === 'out').map(m => [String(m.text), String(m.state)]))
    const byStateNow: Record<string, number> = {}
    for (const t of missing) {
      const k = stateNow.get(t) ?? 'absent'
      byStateNow[k] = (byStateNow[k] ?? 0) + 1
    }
    const byReported: Record<string, number> = {}
    for (const t of missing) {
      const k = this.statesOf(t)
      byReported[k] = (byReported[k] ?? 0) + 1
    }
    return {
      flow: this.tag,
      acknowledged: this.acknowledged.length,
      missing: missing.length,
      ranges: ranges(missing.map(t => Number(t.slice(this.tag.length + 1)))),
      senderStateNow: byStateNow,
      senderReported: byReported,
      senderQueuedNow: [...stateNow.values()].filter(s => s === 'queued').length
    }
  }

  /** Judges the flow now (both peers must be running). */
  async verdict (): Promise<Verdict> {
    const received = await this.received()
    const got = new Set(received)
    const lost = this.acknowledged.filter(t => !got.has(t)).length
    let duplicates = received.length - got.size
    for (const n of this.shown.values()) if (n > 1) duplicates += n - 1
    const indices = received.map(t => Number(t.slice(this.tag.length + 1)))
    let outOfOrder = 0
    for (let i = 1; i < indices.length; i++) if ((indices[i] as number) < (indices[i - 1] as number)) outOfOrder++
    const out = (await this.from.history(this.toContact)).filter(m => m.direction === 'out' && String(m.text).startsWith(`${this.tag}-`))
    const states: Record<string, number> = {}
    for (const m of out) states[String(m.state)] = (states[String(m.state)] ?? 0) + 1
    return { acknowledged: this.acknowledged.length, lost, duplicates, stuckQueued: states.queued ?? 0, outOfOrder, states }
  }
}
