// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A model of groups under random schedules, with real messengers (level dirs, libp2p on loopback)
 * and `sotto-relay` as a child process: members send, the admin adds and removes, members go
 * offline, come back and restart on the same data directory. Once everyone is back and everything
 * has settled, each participant shows exactly the group messages sent while they were a member,
 * each once and in each sender's order, and nothing sent while they were not; each sender saw
 * every message it sent delivered to every member it went to.
 *
 * The default run is short (a few schedules); `SOTTO_LONG=1` runs many more and longer ones, and
 * `SOTTO_SEED=<n>` replays a seed (printed on failure).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { removeDir, startRelay, until } from './helpers.js'
import { Fleet, introduce } from './messengers.js'
import type { RelayProcess } from './helpers.js'
import type { Group, Message, Messenger } from '@sotto/core'

const LONG = process.env.SOTTO_LONG === '1'
const NAMES = ['Admin', 'Bob', 'Carol', 'Dave', 'Erin']
const ADMIN = 0
const OTHERS = NAMES.length - 1
/** How long views and histories may take to settle before the run fails. */
const SETTLE_MS = 90_000

/** What the model knows: who is a member, who is running, and every message sent. */
interface Model {
  members: Set<number>
  online: boolean[]
  sent: Sent[]
}

/** One group message, as the model knows it. */
interface Sent {
  id: string
  sender: number
  /** The participants it must reach: the other members when it was sent. */
  to: Set<number>
  /** Seen delivered to all of them. */
  settled: boolean
}

/** The participants, running or not, and what each showed of this run's group. */
interface Real {
  fleet: Fleet
  relay: RelayProcess
  dirs: string[]
  running: Array<Messenger | undefined>
  userIds: string[]
  groupId: string
  /** Ids of incoming group messages each participant emitted, per group id, across restarts. */
  shown: Array<Map<string, string[]>>
}

/** The messenger of participant `i`, which the model says is running. */
function at (r: Real, i: number): Messenger {
  const m = r.running[i]
  assert.ok(m != null, `${NAMES[i] as string} is running`)
  return m
}

/** Starts participant `i` on its data directory and records the group messages it emits. */
async function startParticipant (r: Real, i: number): Promise<void> {
  const m = await r.fleet.start(r.dirs[i] as string, NAMES[i] as string, { relays: [r.relay.tcp] })
  m.on('message', msg => {
    if (msg.groupId == null || msg.direction !== 'in') return
    const seen = r.shown[i] as Map<string, string[]>
    seen.set(msg.groupId, [...(seen.get(msg.groupId) ?? []), msg.id])
  })
  r.running[i] = m
}

async function stopParticipant (r: Real, i: number): Promise<void> {
  await r.fleet.stop(at(r, i))
  r.running[i] = undefined
}

/** The group of this run as `m` shows it, or undefined when it holds none. */
async function viewAt (m: Messenger, groupId: string): Promise<Group | undefined> {
  return (await m.groups()).find(g => g.id === groupId)
}

/** Whether participant `i`'s view of the group is the model's: members see every member, others see they are out. */
async function agrees (model: Readonly<Model>, r: Real, i: number): Promise<boolean> {
  const view = await viewAt(at(r, i), r.groupId)
  if (!model.members.has(i)) return view == null || !view.member
  if (view == null || !view.member) return false
  const ids = view.members.map(m => m.id).sort()
  return ids.join() === [...model.members].map(j => r.userIds[j]).sort().join()
}

/** Waits until every running participant's view of the group is the model's. */
async function viewsSettle (model: Readonly<Model>, r: Real, what: string): Promise<void> {
  const running = model.online.flatMap((up, i) => up ? [i] : [])
  await until(async () => (await Promise.all(running.map(async i => agrees(model, r, i)))).every(Boolean), `every view after ${what}`, SETTLE_MS, 200)
}

/** A member sends `count` texts in a row. */
class Send implements fc.AsyncCommand<Model, Real> {
  constructor (readonly who: number, readonly count: number) {}
  check (m: Readonly<Model>): boolean { return m.online[this.who] === true && m.members.has(this.who) }
  async run (m: Model, r: Real): Promise<void> {
    const to = new Set([...m.members].filter(j => j !== this.who))
    for (let k = 0; k < this.count; k++) {
      const message = await at(r, this.who).send(r.groupId, `m${m.sent.length} from ${NAMES[this.who] as string}`)
      assert.equal(message.recipientCount, to.size, `${this.toString()}: sent to every other member`)
      m.sent.push({ id: message.id, sender: this.who, to, settled: false })
    }
  }

  toString (): string { return `send(${NAMES[this.who] as string}, ${this.count})` }
}

class Add implements fc.AsyncCommand<Model, Real> {
  constructor (readonly who: number) {}
  check (m: Readonly<Model>): boolean { return m.online[ADMIN] === true && m.online[this.who] === true && !m.members.has(this.who) }
  async run (m: Model, r: Real): Promise<void> {
    await at(r, ADMIN).addToGroup(r.groupId, r.userIds[this.who] as string)
    m.members.add(this.who)
    await viewsSettle(m, r, this.toString())
  }

  toString (): string { return `add(${NAMES[this.who] as string})` }
}

/**
 * The admin removes a member, once what that member sent has reached every member it went to: a
 * group message counts only if its sender is a member when it arrives (as in Signal, whose clients
 * drop a group message from a non-member), so one still on its way when its sender is removed is
 * not shown, and "sent while a member" is only defined for messages that arrived.
 */
class Remove implements fc.AsyncCommand<Model, Real> {
  constructor (readonly who: number) {}
  check (m: Readonly<Model>): boolean {
    const unsettled = m.sent.filter(s => s.sender === this.who && !s.settled)
    const reachable = unsettled.every(s => [...s.to].every(k => m.online[k] === true))
    return m.online[ADMIN] === true && m.members.has(this.who) && reachable && (unsettled.length === 0 || m.online[this.who] === true)
  }

  async run (m: Model, r: Real): Promise<void> {
    for (const s of m.sent.filter(s => s.sender === this.who && !s.settled)) await delivered(r, s)
    await at(r, ADMIN).removeFromGroup(r.groupId, r.userIds[this.who] as string)
    m.members.delete(this.who)
    await viewsSettle(m, r, this.toString())
  }

  toString (): string { return `remove(${NAMES[this.who] as string})` }
}

/**
 * A member goes offline (its messenger stops; what it queued waits in its outbox). Not the admin:
 * adding and removing need it, and a change it made must reach those who come back.
 */
class GoOffline implements fc.AsyncCommand<Model, Real> {
  constructor (readonly who: number) {}
  check (m: Readonly<Model>): boolean { return m.online[this.who] === true }
  async run (m: Model, r: Real): Promise<void> {
    await stopParticipant(r, this.who)
    m.online[this.who] = false
  }

  toString (): string { return `goOffline(${NAMES[this.who] as string})` }
}

class ComeOnline implements fc.AsyncCommand<Model, Real> {
  constructor (readonly who: number) {}
  check (m: Readonly<Model>): boolean { return m.online[this.who] === false }
  async run (m: Model, r: Real): Promise<void> {
    await startParticipant(r, this.who)
    m.online[this.who] = true
    await viewsSettle(m, r, this.toString())
  }

  toString (): string { return `comeOnline(${NAMES[this.who] as string})` }
}

class Restart implements fc.AsyncCommand<Model, Real> {
  constructor (readonly who: number) {}
  check (m: Readonly<Model>): boolean { return m.online[this.who] === true }
  async run (m: Model, r: Real): Promise<void> {
    await stopParticipant(r, this.who)
    await startParticipant(r, this.who)
    await viewsSettle(m, r, this.toString())
  }

  toString (): string { return `restart(${NAMES[this.who] as string})` }
}

const anyone = fc.integer({ min: 0, max: NAMES.length - 1 })
const other = fc.integer({ min: 1, max: OTHERS })
const send = fc.tuple(anyone, fc.integer({ min: 1, max: 3 })).map(([i, n]) => new Send(i, n))
const commandsArb = fc.commands([
  send, send, send,
  other.map(i => new Add(i)),
  other.map(i => new Remove(i)),
  other.map(i => new GoOffline(i)),
  other.map(i => new ComeOnline(i)),
  anyone.map(i => new Restart(i))
], { maxCommands: LONG ? 30 : 15, size: 'max' })

/** The first members besides the admin: at least one. */
const initialArb = fc.subarray(Array.from({ length: OTHERS }, (_, i) => i + 1), { minLength: 1 })

/** The incoming group messages `history` holds, by sender, in the order shown. */
function bySender (history: Message[], userIds: string[]): Map<number, string[]> {
  const out = new Map<number, string[]>()
  for (const msg of history) {
    if (msg.direction !== 'in') continue
    const sender = userIds.indexOf(msg.senderId as string)
    out.set(sender, [...(out.get(sender) ?? []), msg.id])
  }
  return out
}

/** The ids the model says `i` must show, by sender, in the order sent. */
function expectedAt (model: Model, i: number): Map<number, string[]> {
  const out = new Map<number, string[]>()
  for (const s of model.sent) if (s.to.has(i)) out.set(s.sender, [...(out.get(s.sender) ?? []), s.id])
  return out
}

async function historyAt (m: Messenger, groupId: string): Promise<Message[]> {
  return (await viewAt(m, groupId)) == null ? [] : m.history(groupId)
}

/** Brings everyone back, waits until every message reached every member it went to, and checks the properties. */
async function settleAndCheck (model: Model, r: Real): Promise<void> {
  for (const [i, up] of model.online.entries()) {
    if (!up) {
      await startParticipant(r, i)
      model.online[i] = true
    }
  }
  await viewsSettle(model, r, 'everyone came back')
  const all = NAMES.map((_, i) => i)
  let missing = ''
  await until(async () => {
    const histories = await Promise.all(all.map(async i => historyAt(at(r, i), r.groupId)))
    missing = histories.flatMap((h, i) => {
      const lacking = model.sent.filter(s => s.to.has(i) && !h.some(m => m.id === s.id))
      return lacking.length === 0 ? [] : [`${NAMES[i] as string} lacks ${lacking.map(s => `m${model.sent.indexOf(s)}`).join(' ')}`]
    }).join('; ')
    return missing === ''
  }, 'every message at every member it went to', SETTLE_MS, 250).catch(err => { throw new Error(`${(err as Error).message}: ${missing}`) })
  for (const i of all) {
    const name = NAMES[i] as string
    const history = await historyAt(at(r, i), r.groupId)
    const expected = expectedAt(model, i)
    assert.deepEqual(bySender(history, r.userIds), expected, `${name} shows each message sent while a member once, in each sender's order, and nothing else`)
    const own = history.filter(m => m.direction === 'out').map(m => m.id)
    assert.deepEqual(own, model.sent.filter(s => s.sender === i).map(s => s.id), `${name} shows what it sent once, in order`)
    const emitted = r.shown[i]?.get(r.groupId) ?? []
    const allowed = new Set([...expected.values()].flat())
    assert.equal(new Set(emitted).size, emitted.length, `${name} emitted no message twice`)
    assert.ok(emitted.every(id => allowed.has(id)), `${name} emitted only messages sent while a member`)
  }
  for (const s of model.sent) await delivered(r, s)
}

/** Waits until the sender of `s` counts it delivered to every member it went to. */
async function delivered (r: Real, s: Sent): Promise<void> {
  let count: number | undefined
  await until(async () => {
    count = (await at(r, s.sender).history(r.groupId)).find(m => m.id === s.id)?.deliveredCount
    return count === s.to.size
  }, `message ${s.id} of ${NAMES[s.sender] as string} delivered to its ${s.to.size} members`, SETTLE_MS, 250)
    .catch(err => { throw new Error(`${(err as Error).message}: ${count ?? 'none'} counted`) })
  s.settled = true
}

/** Creates this run's group with the admin and `initial`, everyone running, and waits until all see it. */
async function newGroup (r: Real, run: number, initial: number[]): Promise<Model> {
  const model: Model = { members: new Set([ADMIN, ...initial]), online: NAMES.map(() => true), sent: [] }
  const group = await at(r, ADMIN).createGroup(`Model ${run}`, initial.map(i => r.userIds[i] as string))
  r.groupId = group.id
  await viewsSettle(model, r, 'the group was made')
  return model
}

describe('groups: a model of adds, removals, offline members and restarts', () => {
  const fleet = new Fleet()
  let relay: RelayProcess
  let real: Real

  before(async () => {
    relay = await startRelay()
    const dirs = await Promise.all(NAMES.map(async () => fleet.dir()))
    real = { fleet, relay, dirs, running: [], userIds: [], groupId: '', shown: NAMES.map(() => new Map()) }
    for (const i of NAMES.keys()) await startParticipant(real, i)
    real.userIds = real.running.map(m => (m as Messenger).identity().userId)
    for (let i = 1; i < NAMES.length; i++) await introduce(at(real, ADMIN), at(real, i))
  })

  after(async () => {
    await fleet.cleanup()
    if (relay != null && relay.proc.exitCode == null) await relay.kill9()
    await removeDir(relay?.dataDir)
  })

  it('each member shows every message sent while a member once, in order; nobody else shows it', { timeout: LONG ? 3_600_000 : 600_000 }, async () => {
    const seed = Number(process.env.SOTTO_SEED ?? Date.now() % 2 ** 31)
    let run = 0
    try {
      await fc.assert(fc.asyncProperty(initialArb, commandsArb, async (initial, commands) => {
        const model = await newGroup(real, run++, initial)
        await fc.asyncModelRun(() => ({ model, real }), commands)
        await settleAndCheck(model, real)
      }), { seed, numRuns: LONG ? 40 : 10, endOnFailure: true })
    } catch (err) {
      console.log(`group model failed: replay with SOTTO_SEED=${seed}${LONG ? ' SOTTO_LONG=1' : ''}`)
      throw err
    }
  })
})
