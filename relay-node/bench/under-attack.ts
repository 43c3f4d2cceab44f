// SPDX-License-Identifier: AGPL-3.0-only
/**
 * An honest contact's deposit latency at a relay under attack, beside the same deposits with no
 * one attacking, measured in one run: what hostile peers cost everyone else. The attackers are
 * strangers: {@link ATTACKERS} peers, each with {@link ATTACK_IN_FLIGHT} deposits in flight all the
 * time, with the owner's published introduction token (refused past the introduction rates and
 * quota) and with made-up tokens (refused as unknown). Every refusal is work for the relay: a
 * request decoded, a token hashed and looked up, an answer sent.
 */
import { createMailboxClient, generateDepositToken, generateMailboxKey } from '@sotto/core/mailbox'
import { clientNode } from '../test/helpers.js'
import type { RelayProcess } from '../test/helpers.js'
import type { Libp2p } from '@libp2p/interface'
import type { MailboxClient } from '@sotto/core/mailbox'

/** Attacking peers (each a connection of its own). */
const ATTACKERS = 4
/** Deposits each attacker keeps in flight. */
const ATTACK_IN_FLIGHT = 32
/** Honest deposits timed, calm and under attack each, one in flight, 256 B. */
const HONEST_DEPOSITS = 2000

/** The p99 of an honest contact's deposits, calm and under attack, in ms. */
export interface AttackResult {
  calmP99: number
  attackP99: number
  /** Deposits the attackers made (nearly all refused). */
  attackDeposits: number
  /** Of those, refused. */
  refused: number
}

function p99 (xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(0.99 * s.length))] ?? NaN
}

async function timedDeposits (client: MailboxClient, mailboxId: Uint8Array, token: Uint8Array): Promise<number[]> {
  const latencies: number[] = []
  for (let i = 0; i < HONEST_DEPOSITS; i++) {
    const t = performance.now()
    await client.deposit(mailboxId, token, new Uint8Array(256).fill(i % 256))
    latencies.push(performance.now() - t)
  }
  return latencies
}

/** Measures an honest contact's deposit p99 at `relay`, calm, then while strangers flood it. */
export async function depositP99UnderAttack (relay: RelayProcess): Promise<AttackResult> {
  const nodes: Libp2p[] = []
  const clients: MailboxClient[] = []
  const client = async (): Promise<MailboxClient> => {
    const node = await clientNode()
    nodes.push(node)
    const c = createMailboxClient(node, relay.tcp)
    clients.push(c)
    return c
  }
  try {
    const owner = await client()
    const key = await generateMailboxKey()
    const mailboxId = await owner.create(key)
    const contact = generateDepositToken()
    const introduction = generateDepositToken()
    await owner.registerToken(key, contact, 'contact')
    await owner.registerToken(key, introduction, 'introduction')
    const honest = await client()
    await honest.deposit(mailboxId, contact, new Uint8Array(256))
    const calm = await timedDeposits(honest, mailboxId, contact)

    const attackers = await Promise.all(Array.from({ length: ATTACKERS }, async () => client()))
    let stop = false
    let attackDeposits = 0
    let refused = 0
    const flood = Promise.all(attackers.flatMap(a => Array.from({ length: ATTACK_IN_FLIGHT }, async (_, slot) => {
      while (!stop) {
        attackDeposits++
        // Half with the published introduction token, half with tokens the relay never saw.
        const token = slot % 2 === 0 ? introduction : generateDepositToken()
        await a.deposit(mailboxId, token, new Uint8Array(1024)).catch(() => { refused++ })
      }
    })))
    const attacked = await timedDeposits(honest, mailboxId, contact)
    stop = true
    await flood
    return { calmP99: p99(calm), attackP99: p99(attacked), attackDeposits, refused }
  } finally {
    for (const c of clients) await c.close().catch(() => {})
    for (const n of nodes) await n.stop()
  }
}
