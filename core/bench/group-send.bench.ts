// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `node core/dist/bench/group-send.bench.js` (after `npx tsc -b core`; not part of any test run):
 * a text to a group of 100 (the sender and 99 members) through a running messenger — the time
 * `send` takes to seal it and queue it durably for every member, the first time (sessions started
 * from the members' cards, the sender key sealed to each) and after — against 100 one-to-one seals
 * and outbox writes of the same text in one synced commit, on the same store, in the same run; and
 * the bytes each member is sent either way.
 *
 * The members are real identities whose cards and deposit tokens are written into the sender's
 * log as an admin's changes would be; they are not running, so the sender's courier keeps trying
 * to reach them while the sends are timed, as it would for members offline.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadLocalIdentity, seal } from '../src/crypto/index.js'
import { createGroup, recordGroupChange } from '../src/groups/index.js'
import { writeGroupInfo } from '../src/messenger/group-records.js'
import { decodeRecord } from '../src/messenger/records.js'
import { createMessenger } from '../src/messenger/index.js'
import { INVITE_LINK_PREFIX, encodeContent, encodeEnvelope } from '../src/protocol/index.js'
import { openStore } from '../src/storage/index.js'
import { cleanUp, newParty } from '../test/crypto/fixtures.js'
import { entryOf } from '../test/groups/parties.js'
import type { Party } from '../test/crypto/fixtures.js'
import type { Messenger, MessengerOptions } from '../src/messenger/index.js'
import type { OutboxRecord } from '../src/messenger/records.js'

const MEMBERS = 99
const ROUNDS = 10
const TEXT = 'A short text to the whole group, about the length of most.'

function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

/** Writes a group of the sender and `members` into the sender's (closed) store; answers its id. */
async function seedGroup (options: MessengerOptions, card: Uint8Array, members: Party[]): Promise<string> {
  const store = await openStore({ dir: options.dataDir, keySource: options.keySource, scryptLogN: options.scryptLogN })
  try {
    const tx = store.transaction()
    const identity = await loadLocalIdentity(tx)
    if (identity == null) throw new Error('the sender has no identity')
    const { log, create } = createGroup(identity, { name: 'Hundred', creator: { card, depositToken: randomBytes(32) } })
    recordGroupChange(tx, log, create)
    for (const m of members) recordGroupChange(tx, log, log.propose(identity, { type: 'add', member: await entryOf(m) }))
    writeGroupInfo(tx, { groupId: log.groupId, name: log.state.name, token: randomBytes(32), tokenAt: [], invited: [], nextSeq: 0, disappearingSeconds: 0, unread: 0, lastActivity: Date.now() })
    await tx.commit()
    return log.groupId
  } finally {
    await store.close()
  }
}

/** 100 one-to-one seals of the text, each put as an outbox entry would be, in one synced commit; ms per round. */
async function oneToOne (options: MessengerOptions, members: Party[]): Promise<{ ms: number[], bytes: number }> {
  const store = await openStore({ dir: options.dataDir, keySource: options.keySource, scryptLogN: options.scryptLogN })
  const ms: number[] = []
  let bytes = 0
  try {
    const identity = await loadLocalIdentity(store.transaction())
    if (identity == null) throw new Error('the sender has no identity')
    for (let round = 0; round < ROUNDS; round++) {
      const began = performance.now()
      const tx = store.transaction()
      for (const [i, m] of members.entries()) {
        const id = randomBytes(16)
        const sealed = await seal(tx, identity, m.identity.userId, encodeContent({ id, sentAt: Date.now(), text: { text: TEXT, seq: round } }))
        const envelope = encodeEnvelope({ id, sealed })
        bytes = envelope.byteLength
        tx.put(['bench-outbox', m.identity.userId, round * MEMBERS + i], envelope)
      }
      await tx.commit()
      ms.push(performance.now() - began)
    }
  } finally {
    await store.close()
  }
  return { ms, bytes }
}

/** The bytes of the envelope each member is sent for one group text. */
async function groupEnvelopeBytes (options: MessengerOptions, member: string): Promise<number> {
  const store = await openStore({ dir: options.dataDir, keySource: options.keySource, scryptLogN: options.scryptLogN })
  try {
    let last = 0
    for await (const bytes of store.values(['outbox', member])) last = decodeRecord<OutboxRecord>(bytes).envelope.byteLength
    return last
  } finally {
    await store.close()
  }
}

async function main (): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sotto-bench-group-send-'))
  const options: MessengerOptions = {
    dataDir: dir, keySource: { kind: 'passphrase', passphrase: 'bench sender' }, name: 'Sender', listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, scryptLogN: 10
  }
  const members: Party[] = []
  for (let i = 0; i < MEMBERS; i++) members.push(await newParty())
  let messenger: Messenger = await createMessenger(options)
  const card = new Uint8Array(Buffer.from((await messenger.invite()).slice(INVITE_LINK_PREFIX.length), 'base64url'))
  await messenger.stop()
  const groupId = await seedGroup(options, card, members)

  messenger = await createMessenger(options)
  let began = performance.now()
  await messenger.send(groupId, TEXT)
  const firstMs = performance.now() - began
  const group: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    began = performance.now()
    await messenger.send(groupId, TEXT)
    group.push(performance.now() - began)
  }
  await messenger.stop()
  const groupBytes = await groupEnvelopeBytes(options, (members[0] as Party).identity.userId)
  const direct = await oneToOne(options, members)

  const row = (way: string, ms: number[], bytes: number): string =>
    `| ${way} | ${median(ms).toFixed(1)} / ${Math.min(...ms).toFixed(1)} | ${bytes} |`
  console.log(`one text to ${MEMBERS} members, ${ROUNDS} rounds each\n`)
  console.log('| way | ms median / min | envelope bytes per member |')
  console.log('| --- | --- | --- |')
  console.log(`| group send, first (sessions from cards, sender key to each) | ${firstMs.toFixed(1)} | ${groupBytes} |`)
  console.log(row('group send, later (sealed once, queued per member, durable)', group, groupBytes))
  console.log(row(`${MEMBERS} one-to-one seals and outbox writes, one synced commit`, direct.ms, direct.bytes))
  await cleanUp(...members)
  await rm(dir, { recursive: true, force: true })
}

await main()
