// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `node core/dist/bench/groups.bench.js` (after `npx tsc -b core`; not part of any test run): one
 * message to 100 members, sealed once with the sender key and split per member, against 100
 * one-to-one seals of the same plaintext — time to seal, and bytes per member, side by side.
 *
 * Every member is a real identity in an encrypted store, and every session is answered once
 * before timing starts, so one-to-one seals are ordinary ratchet messages, not PreKey messages.
 * The two ways are timed in turn, so that a busy moment of a shared machine weighs on both.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLocalIdentity, currentPreKeyBundle, seal, startSession, unseal } from '../src/crypto/index.js'
import {
  markSenderKeyDistributed, openGroupMessage, prepareGroupSend, processSenderKeyDistribution, sealForGroup
} from '../src/groups/index.js'
import { openStore } from '../src/storage/index.js'
import type { LocalIdentity } from '../src/crypto/index.js'
import type { GroupRecipient } from '../src/groups/index.js'
import type { Store, Transaction } from '../src/storage/index.js'

const MEMBERS = 100
const ROUNDS = 15
/** A short text in its padded Content: one 256-byte block. */
const PLAINTEXT_BYTES = 256
const GROUP = 'c3'.repeat(16)

interface Party { store: Store, identity: LocalIdentity, dir: string }

async function inTx<T> (store: Store, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  const tx = store.transaction()
  const result = await fn(tx)
  await tx.commit()
  return result
}

async function newParty (): Promise<Party> {
  const dir = await mkdtemp(join(tmpdir(), 'sotto-bench-groups-'))
  const store = await openStore({ dir, keySource: { kind: 'passphrase', passphrase: 'bench' }, scryptLogN: 10 })
  const identity = await inTx(store, async tx => await createLocalIdentity(tx, Date.now()))
  return { store, identity, dir }
}

/** A session from `sender` to `member`, answered once, and `sender`'s sender key delivered. */
async function join1 (sender: Party, member: Party, distribution: Uint8Array): Promise<void> {
  const bundle = await inTx(member.store, async tx => await currentPreKeyBundle(tx, member.identity, { oneTime: false }))
  await inTx(sender.store, async tx => { await startSession(tx, sender.identity, member.identity.userId, bundle) })
  const first = await inTx(sender.store, async tx => await seal(tx, sender.identity, member.identity.userId, distribution))
  await inTx(member.store, async tx => {
    const opened = await unseal(tx, member.identity, first)
    await processSenderKeyDistribution(tx, member.identity, opened.senderUserId, GROUP, opened.plaintext)
  })
  const reply = await inTx(member.store, async tx => await seal(tx, member.identity, sender.identity.userId, new Uint8Array(16)))
  await inTx(sender.store, async tx => { await unseal(tx, sender.identity, reply) })
}

function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

async function main (): Promise<void> {
  const sender = await newParty()
  const members: Party[] = []
  for (let i = 0; i < MEMBERS; i++) members.push(await newParty())
  const recipients: GroupRecipient[] = members.map(m => ({ userId: m.identity.userId, identityKey: m.identity.identityKey }))
  const ids = recipients.map(r => r.userId)
  const plan = await inTx(sender.store, async tx => await prepareGroupSend(tx, sender.identity, GROUP, recipients))
  for (const member of members) await join1(sender, member, plan.distributionMessage)
  await inTx(sender.store, async tx => { await markSenderKeyDistributed(tx, GROUP, recipients) })

  const plaintext = randomBytes(PLAINTEXT_BYTES)
  const group: number[] = []
  const direct: number[] = []
  let groupBytes = 0
  let directBytes = 0
  for (let round = 0; round < ROUNDS; round++) {
    let tx = sender.store.transaction()
    let start = performance.now()
    const parts = await sealForGroup(tx, sender.identity, GROUP, ids, plaintext)
    group.push(performance.now() - start)
    await tx.commit()
    groupBytes = [...parts.values()].reduce((sum, part) => sum + part.byteLength, 0) / MEMBERS

    tx = sender.store.transaction()
    start = performance.now()
    let total = 0
    for (const userId of ids) total += (await seal(tx, sender.identity, userId, plaintext)).byteLength
    direct.push(performance.now() - start)
    await tx.commit()
    directBytes = total / MEMBERS

    if (round === 0) {
      // Every member opens the first group message: the parts are real, not only the right size.
      for (const member of members) {
        await inTx(member.store, async t => await openGroupMessage(t, member.identity, parts.get(member.identity.userId) as Uint8Array))
      }
    }
  }

  console.log(`one message of ${PLAINTEXT_BYTES} B to ${MEMBERS} members, median of ${ROUNDS} rounds`)
  console.log('| way | seal ms (median) | seal ms (min) | bytes per member |')
  console.log('| --- | --- | --- | --- |')
  console.log(`| sender key, sealed once, split | ${median(group).toFixed(1)} | ${Math.min(...group).toFixed(1)} | ${groupBytes.toFixed(0)} |`)
  console.log(`| ${MEMBERS} one-to-one seals | ${median(direct).toFixed(1)} | ${Math.min(...direct).toFixed(1)} | ${directBytes.toFixed(0)} |`)

  await Promise.all([sender, ...members].map(async p => {
    await p.store.close()
    await rm(p.dir, { recursive: true, force: true })
  }))
}

await main()
