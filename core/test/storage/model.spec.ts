// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Model-based test: random sequences of transactions (mostly committed without waiting), reads,
 * range scans, flushes and reopens, run against the store and against a Map.
 */

import { strict as assert } from 'node:assert'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { openStore } from '../../src/storage/index.js'
import type { Key, KeyPart, RangeOptions, Store, StoreReader, Transaction } from '../../src/storage/index.js'
import { passphrase, tempDir, TEST_LOG_N } from './fixtures/support.js'

type Op = { type: 'put', key: Key } | { type: 'del', key: Key }

interface Model {
  /** By JSON of the key. */
  data: Map<string, { key: Key, value: string }>
  /** The order the store showed between two different strings at the same key position. */
  stringOrder: Map<string, Map<string, boolean>>
}

interface Real {
  dir: string
  store: Store
  pending: Array<Promise<void>>
  nextValue: number
}

const decoder = new TextDecoder()
const id = (key: Key): string => JSON.stringify(key)

const spaceArb = fc.constantFrom('a', 'ab', 'b')
const partArb: fc.Arbitrary<KeyPart> = fc.oneof(
  fc.constantFrom('x', 'y', 'xy', ''),
  fc.constantFrom(0, 1, 2, 255, 256, 65536, 2 ** 32, Number.MAX_SAFE_INTEGER)
)
const anyKeyArb: fc.Arbitrary<Key> = fc.tuple(spaceArb, fc.array(partArb, { maxLength: 3 })).map(([s, parts]) => [s, ...parts] as Key)
// A few hot keys, so that writes overwrite and delete each other often.
const hotKeys: Key[] = [['a', 'x'], ['a', 'x', 1], ['a', 'x', 2], ['a', 'y', 1], ['a', 1], ['ab', 'x'], ['a']]
const keyArb: fc.Arbitrary<Key> = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...hotKeys) }, { weight: 1, arbitrary: anyKeyArb })
const prefixArb: fc.Arbitrary<Key> = fc.tuple(spaceArb, fc.array(partArb, { maxLength: 2 })).map(([s, parts]) => [s, ...parts] as Key)
const boundArb = fc.option(fc.constantFrom(0, 1, 2, 3, 256, 65536, 2 ** 32, Number.MAX_SAFE_INTEGER), { nil: undefined })
const rangeArb: fc.Arbitrary<RangeOptions> = fc.record({
  gte: boundArb,
  lt: boundArb,
  reverse: fc.boolean(),
  limit: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined })
})
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: keyArb.map(key => ({ type: 'put' as const, key })) },
  { weight: 1, arbitrary: keyArb.map(key => ({ type: 'del' as const, key })) }
)

/** Entries of `data` (with `writes` laid over) matching `prefix` and the bounds of `options`. */
function expected (data: Map<string, { key: Key, value: string }>, prefix: Key, options: RangeOptions): Array<{ key: Key, value: string }> {
  const out: Array<{ key: Key, value: string }> = []
  for (const entry of data.values()) {
    const { key } = entry
    if (key.length < prefix.length || prefix.some((p, i) => key[i] !== p)) continue
    if (options.gte !== undefined || options.lt !== undefined) {
      const next = key[prefix.length]
      if (typeof next !== 'number') continue
      if (options.gte !== undefined && next < options.gte) continue
      if (options.lt !== undefined && next >= options.lt) continue
    }
    out.push(entry)
  }
  return out
}

/** Negative if `a` comes before `b` in the store's order; learns (and then holds the store to) the order of strings. */
function compareKeys (model: Model, a: Key, b: Key): number {
  for (let i = 0; ; i++) {
    if (i >= a.length || i >= b.length) return a.length - b.length
    const x = a[i] as KeyPart
    const y = b[i] as KeyPart
    if (x === y) continue
    if (typeof x === 'number' && typeof y === 'number') return x - y
    if (typeof x === 'number') return -1
    if (typeof y === 'number') return 1
    const known = model.stringOrder.get(`${i}:${x}`)?.get(y)
    if (known !== undefined) return known ? -1 : 1
    return 0
  }
}

function learn (model: Model, a: Key, b: Key): void {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]
    const y = b[i]
    if (x === y) continue
    if (typeof x === 'string' && typeof y === 'string') {
      // Strings are ordered by their keyed hash: the same at every position and across reopens.
      for (const [p, q, before] of [[x, y, true], [y, x, false]] as const) {
        for (let pos = 0; pos < 4; pos++) {
          const row = model.stringOrder.get(`${pos}:${p}`) ?? new Map<string, boolean>()
          row.set(q, before)
          model.stringOrder.set(`${pos}:${p}`, row)
        }
      }
    }
    return
  }
}

/** Checks `reader.values(prefix, options)` against `data`. */
async function checkValues (model: Model, reader: StoreReader, data: Map<string, { key: Key, value: string }>, prefix: Key, options: RangeOptions): Promise<void> {
  const byValue = new Map([...data.values()].map(e => [e.value, e.key]))
  const full: Key[] = []
  for await (const v of reader.values(prefix, { ...options, limit: undefined })) {
    const key = byValue.get(decoder.decode(v))
    assert.ok(key !== undefined, `values() returned ${decoder.decode(v)}, which the model does not hold`)
    full.push(key)
  }
  const want = expected(data, prefix, options)
  assert.deepEqual(full.map(id).sort(), want.map(e => id(e.key)).sort(), `values(${id(prefix)}, ${JSON.stringify(options)})`)
  const sign = options.reverse === true ? -1 : 1
  for (let i = 1; i < full.length; i++) {
    const a = full[i - 1] as Key
    const b = full[i] as Key
    const c = compareKeys(model, a, b) * sign
    assert.ok(c <= 0, `values() order: ${id(a)} before ${id(b)}`)
    if (c === 0) learn(model, options.reverse === true ? b : a, options.reverse === true ? a : b)
  }
  if (options.limit !== undefined) {
    const limited: string[] = []
    for await (const v of reader.values(prefix, options)) limited.push(decoder.decode(v))
    assert.deepEqual(limited, full.slice(0, options.limit).map(k => data.get(id(k))?.value))
  }
}

/** Checks every key the model holds, and every space, against the store. */
async function checkAll (model: Model, store: Store): Promise<void> {
  for (const { key, value } of model.data.values()) {
    const got = await store.get(key)
    assert.equal(got === undefined ? undefined : decoder.decode(got), value, `get(${id(key)})`)
  }
  for (const space of ['a', 'ab', 'b']) await checkValues(model, store, model.data, [space], {})
}

class CommitCommand implements fc.AsyncCommand<Model, Real> {
  constructor (readonly ops: Op[], readonly wait: boolean, readonly tick: boolean, readonly probe: Key, readonly range: RangeOptions) {}
  check (): boolean { return true }
  async run (model: Model, real: Real): Promise<void> {
    // Lets the store start writing what is queued, so this commit queues behind a batch in flight.
    if (this.tick) await new Promise(resolve => setImmediate(resolve))
    const tx = real.store.transaction()
    const after = stage(real, tx, model.data, this.ops)
    // The transaction sees its writes; the store does not, until commit.
    for (const op of this.ops) {
      const got = await tx.get(op.key)
      assert.equal(got === undefined ? undefined : decoder.decode(got), after.get(id(op.key))?.value)
      const outside = await real.store.get(op.key)
      assert.equal(outside === undefined ? undefined : decoder.decode(outside), model.data.get(id(op.key))?.value)
    }
    await checkValues(model, tx, after, this.probe, this.range)
    await checkValues(model, tx, after, (this.ops[0]?.key ?? ['a']).slice(0, 1 + (this.ops.length % 2)) as unknown as Key, this.range)
    const committed = tx.commit()
    model.data = after
    if (this.wait) {
      await committed
      return
    }
    real.pending.push(committed)
    // Read while the commit is still pending: through the overlay, over the database.
    const first = this.ops[0]?.key ?? ['a']
    for (const op of this.ops) {
      const got = await real.store.get(op.key)
      assert.equal(got === undefined ? undefined : decoder.decode(got), after.get(id(op.key))?.value)
    }
    await checkValues(model, real.store, model.data, first.slice(0, 1 + (this.ops.length % 2)) as unknown as Key, this.range)
  }
  toString (): string { return `commit(${this.ops.map(o => `${o.type} ${id(o.key)}`).join(', ')}${this.wait ? ', awaited' : ''}${this.tick ? ', after a tick' : ''})` }
}

/** Adds `ops` to `tx` with fresh values, and returns what `data` becomes once they commit. */
function stage (real: Real, tx: Transaction, data: Model['data'], ops: Op[]): Model['data'] {
  const after = new Map(data)
  for (const op of ops) {
    if (op.type === 'put') {
      const value = `v${real.nextValue++}`
      tx.put(op.key, new TextEncoder().encode(value))
      after.set(id(op.key), { key: op.key, value })
    } else {
      tx.del(op.key)
      after.delete(id(op.key))
    }
  }
  return after
}

class OverwriteCommand implements fc.AsyncCommand<Model, Real> {
  constructor (readonly ops: Op[], readonly again: boolean[]) {}
  check (): boolean { return true }
  async run (model: Model, real: Real): Promise<void> {
    const first = real.store.transaction()
    model.data = stage(real, first, model.data, this.ops)
    const firstDone = first.commit()
    // The first commit's batch is in flight (unless others were); the second queues behind it.
    await new Promise(resolve => setImmediate(resolve))
    const second = real.store.transaction()
    const ops = this.ops.map((op, i): Op => ({ type: this.again[i] === true ? 'put' : 'del', key: op.key }))
    model.data = stage(real, second, model.data, ops)
    real.pending.push(second.commit())
    await firstDone
    // The second commit may still be pending: its writes must not vanish with the first's.
    await checkAll(model, real.store)
  }
  toString (): string { return `overwrite(${this.ops.map(o => `${o.type} ${id(o.key)}`).join(', ')} then ${this.again.join(', ')})` }
}

class GetCommand implements fc.AsyncCommand<Model, Real> {
  constructor (readonly key: Key) {}
  check (): boolean { return true }
  async run (model: Model, real: Real): Promise<void> {
    const got = await real.store.get(this.key)
    assert.equal(got === undefined ? undefined : decoder.decode(got), model.data.get(id(this.key))?.value, `get(${id(this.key)})`)
  }
  toString (): string { return `get(${id(this.key)})` }
}

class ValuesCommand implements fc.AsyncCommand<Model, Real> {
  constructor (readonly prefix: Key, readonly range: RangeOptions) {}
  check (): boolean { return true }
  async run (model: Model, real: Real): Promise<void> {
    await checkValues(model, real.store, model.data, this.prefix, this.range)
  }
  toString (): string { return `values(${id(this.prefix)}, ${JSON.stringify(this.range)})` }
}

class FlushCommand implements fc.AsyncCommand<Model, Real> {
  check (): boolean { return true }
  async run (_model: Model, real: Real): Promise<void> {
    await Promise.all(real.pending.splice(0))
  }
  toString (): string { return 'flush' }
}

class SettleOldestCommand implements fc.AsyncCommand<Model, Real> {
  check (): boolean { return true }
  async run (model: Model, real: Real): Promise<void> {
    // Some commits durable, later ones still pending: their overlay entries must survive.
    await real.pending.shift()
    await checkAll(model, real.store)
  }
  toString (): string { return 'settle-oldest' }
}

class ReopenCommand implements fc.AsyncCommand<Model, Real> {
  check (): boolean { return true }
  async run (model: Model, real: Real): Promise<void> {
    // close() itself must wait for the commits nobody awaited.
    await real.store.close()
    await Promise.all(real.pending.splice(0))
    real.store = await openStore({ dir: real.dir, keySource: passphrase(), scryptLogN: TEST_LOG_N })
    await checkAll(model, real.store)
  }
  toString (): string { return 'reopen' }
}

const commandArbs = [
  fc.tuple(fc.array(opArb, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean(), prefixArb, rangeArb)
    .map(([ops, wait, tick, probe, range]) => new CommitCommand(ops, wait, tick, probe, range)),
  fc.tuple(fc.array(opArb, { minLength: 1, maxLength: 3 }), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }))
    .map(([ops, again]) => new OverwriteCommand(ops, again)),
  keyArb.map(key => new GetCommand(key)),
  fc.tuple(prefixArb, rangeArb).map(([prefix, range]) => new ValuesCommand(prefix, range)),
  fc.constant(new FlushCommand()),
  fc.constant(new SettleOldestCommand()),
  fc.constant(new ReopenCommand())
]

describe('store against a model', () => {
  it('agrees with a Map through unawaited commits, reads, ranges and reopens', async () => {
    await fc.assert(fc.asyncProperty(fc.commands(commandArbs, { maxCommands: 40 }), async (cmds) => {
      const { dir, remove } = await tempDir()
      const real: Real = { dir, store: await openStore({ dir, keySource: passphrase(), scryptLogN: TEST_LOG_N }), pending: [], nextValue: 0 }
      try {
        await fc.asyncModelRun(() => ({ model: { data: new Map(), stringOrder: new Map() }, real }), cmds)
        await real.store.close()
        await Promise.all(real.pending)
      } finally {
        await real.store.close()
        await Promise.allSettled(real.pending)
        await remove()
      }
    }), { numRuns: 60 })
  })
})
