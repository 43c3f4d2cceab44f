// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The level mailbox store on a real LevelDB in a temp directory: its contract, group commit, and a
 * model-based property test (random operations and reopenings against a plain model).
 */

import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import fc from 'fast-check'
import { levelMailboxStore } from '../src/mailbox/index.js'
import { removeDir, tempDir } from './helpers.js'
import type { MailboxStore } from '../src/mailbox/index.js'

const LIMITS = { maxEnvelopes: 1000, maxBytes: 1 << 20 }
const FAR = 4_000_000_000_000
const TWO = { perMailbox: 2, total: 1000 }

function mailbox (n: number): { id: Uint8Array, publicKey: Uint8Array } {
  return { id: new Uint8Array(32).fill(n), publicKey: new Uint8Array(32).fill(100 + n) }
}

describe('level mailbox store', () => {
  const dirs: string[] = []
  after(async () => { for (const d of dirs) await removeDir(d) })

  async function open (dir?: string, onCommit?: (writes: number) => void): Promise<{ store: MailboxStore, dir: string }> {
    const location = dir ?? await tempDir('sotto-store-')
    if (dir == null) dirs.push(location)
    const store = levelMailboxStore({ location, onCommit })
    await store.open()
    return { store, dir: location }
  }

  it('orders appends by call, checks quotas at call time, and groups commits', async () => {
    let batches = 0
    const { store } = await open(undefined, () => { batches++ })
    const m = mailbox(1)
    assert.equal(await store.createMailbox(m, 10), true)
    assert.equal(await store.createMailbox(m, 10), false)
    const results = await Promise.allSettled(Array.from({ length: 60 }, async (_, i) => store.append(m.id, new Uint8Array([i]), FAR, 'contact', { maxEnvelopes: 50, maxBytes: 1000 })))
    const ok = results.flatMap(r => r.status === 'fulfilled' ? [r.value] : [])
    assert.equal(ok.length, 50)
    assert.deepEqual(ok.map(e => e.envelope[0]), Array.from({ length: 50 }, (_, i) => i), 'the first 50 calls got in')
    assert.deepEqual(ok.map(e => e.id), Array.from({ length: 50 }, (_, i) => i + 1))
    assert.ok(results.slice(50).every(r => r.status === 'rejected' && (r.reason as Error).name === 'MailboxFullError'))
    assert.ok(batches < 30, `60 concurrent appends went in few synced batches (${batches})`)
    assert.deepEqual(store.usage(m.id), { envelopes: 50, bytes: 50, introductionEnvelopes: 0, introductionBytes: 0 })
    await store.close()
  })

  it('pages by count and bytes, skips expired envelopes, removes by id', async () => {
    const { store } = await open()
    const m = mailbox(2)
    await store.createMailbox(m, 10)
    for (let i = 0; i < 10; i++) await store.append(m.id, new Uint8Array(100).fill(i), i === 3 ? 1000 : FAR, i % 2 === 0 ? 'contact' : 'introduction', LIMITS)
    const page = await store.list(m.id, 0, 4, 1 << 20, 2000)
    assert.deepEqual(page.envelopes.map(e => e.id), [1, 2, 3, 5])
    assert.equal(page.more, true)
    assert.deepEqual(page.envelopes.map(e => e.kind), ['contact', 'introduction', 'contact', 'contact'])
    const small = await store.list(m.id, 0, 100, 250, 2000)
    assert.deepEqual(small.envelopes.map(e => e.id), [1, 2], 'about maxBytes per page')
    const one = await store.list(m.id, 0, 100, 10, 2000)
    assert.deepEqual(one.envelopes.map(e => e.id), [1], 'at least one envelope per page')
    assert.equal(await store.remove(m.id, [1, 2, 2, 99]), 2)
    assert.equal(await store.remove(m.id, [1]), 0)
    assert.deepEqual(store.usage(m.id), { envelopes: 8, bytes: 800, introductionEnvelopes: 4, introductionBytes: 400 })
    assert.equal(await store.purgeExpired(2000), 1)
    assert.deepEqual(store.usage(m.id), { envelopes: 7, bytes: 700, introductionEnvelopes: 3, introductionBytes: 300 }, 'the expired one was an introduction')
    await store.close()
  })

  it('keeps tokens to their mailbox and deletes a mailbox with everything in it', async () => {
    const { store, dir } = await open()
    const [a, b] = [mailbox(3), mailbox(4)]
    await store.createMailbox(a, 10)
    await store.createMailbox(b, 10)
    await assert.rejects(store.createMailbox(mailbox(5), 2), { name: 'CapacityError' })
    const t = new Uint8Array(32).fill(7)
    await store.putToken(t, { mailboxId: a.id, kind: 'contact' }, TWO)
    await store.putToken(t, { mailboxId: a.id, kind: 'introduction' }, TWO)
    assert.equal((await store.getToken(t))?.kind, 'introduction')
    await assert.rejects(store.putToken(t, { mailboxId: b.id, kind: 'contact' }, TWO), { name: 'TokenConflictError' })
    await store.putToken(new Uint8Array(32).fill(8), { mailboxId: a.id, kind: 'contact' }, TWO)
    await assert.rejects(store.putToken(new Uint8Array(32).fill(9), { mailboxId: a.id, kind: 'contact' }, TWO), { name: 'CapacityError' })
    assert.equal(await store.deleteToken(b.id, t), false, 'only its own mailbox revokes a token')
    await store.append(a.id, new Uint8Array([1]), FAR, 'contact', LIMITS)
    const pending = store.append(a.id, new Uint8Array([2]), FAR, 'contact', LIMITS)
    assert.equal(await store.deleteMailbox(a.id), true)
    await pending
    assert.equal(await store.getMailbox(a.id), undefined)
    assert.equal(await store.getToken(t), undefined)
    assert.deepEqual((await store.list(a.id, 0, 100, 1 << 20, 0)).envelopes, [], 'an append racing the delete is deleted too')
    await assert.rejects(store.append(a.id, new Uint8Array([3]), FAR, 'contact', LIMITS), { name: 'MailboxNotFoundError' })
    await store.close()
    const { store: again } = await open(dir)
    assert.deepEqual(again.stats(), { mailboxes: 1, tokens: 0, envelopes: 0, bytes: 0 })
    assert.equal(await again.createMailbox(a, 10), true, 'a deleted mailbox can be made again')
    await again.close()
  })

  it('caps tokens relay-wide, and finds them on disk after a reopening', async () => {
    const { store, dir } = await open()
    const [a, b] = [mailbox(20), mailbox(21)]
    await store.createMailbox(a, 10)
    await store.createMailbox(b, 10)
    const limits = { perMailbox: 10, total: 3 }
    const token = (n: number): Uint8Array => new Uint8Array(32).fill(n)
    await store.putToken(token(1), { mailboxId: a.id, kind: 'contact' }, limits)
    await store.putToken(token(2), { mailboxId: a.id, kind: 'introduction' }, limits)
    await store.putToken(token(3), { mailboxId: b.id, kind: 'contact' }, limits)
    await assert.rejects(store.putToken(token(4), { mailboxId: b.id, kind: 'contact' }, limits), { name: 'CapacityError' })
    await store.putToken(token(3), { mailboxId: b.id, kind: 'introduction' }, limits)
    assert.equal(await store.deleteToken(a.id, token(1)), true)
    await store.putToken(token(4), { mailboxId: b.id, kind: 'contact' }, limits)
    assert.equal(store.stats().tokens, 3)
    await store.close()
    const { store: again } = await open(dir)
    assert.equal(again.stats().tokens, 3)
    assert.equal(await again.getToken(token(1)), undefined)
    assert.equal((await again.getToken(token(2)))?.kind, 'introduction')
    assert.equal((await again.getToken(token(3)))?.kind, 'introduction')
    assert.deepEqual((await again.getToken(token(4)))?.mailboxId, b.id)
    await assert.rejects(again.putToken(token(5), { mailboxId: a.id, kind: 'contact' }, limits), { name: 'CapacityError' })
    await again.deleteMailbox(b.id)
    assert.equal(again.stats().tokens, 1)
    assert.equal(await again.getToken(token(3)), undefined)
    await again.close()
  })

  it('keeps only so many tokens in memory, and reads the others from disk', async () => {
    const location = await tempDir('sotto-store-')
    dirs.push(location)
    const store = levelMailboxStore({ location, tokenCacheSize: 2 })
    await store.open()
    const m = mailbox(40)
    await store.createMailbox(m, 10)
    const token = (n: number): Uint8Array => new Uint8Array(32).fill(n)
    for (let n = 1; n <= 6; n++) await store.putToken(token(n), { mailboxId: m.id, kind: n % 2 === 0 ? 'contact' : 'introduction' }, { perMailbox: 10, total: 10 })
    for (let n = 1; n <= 6; n++) assert.equal((await store.getToken(token(n)))?.kind, n % 2 === 0 ? 'contact' : 'introduction', `token ${n}`)
    assert.equal(await store.deleteToken(m.id, token(1)), true, 'a token out of the cache is revoked')
    assert.equal(await store.getToken(token(1)), undefined)
    await assert.rejects(store.putToken(token(2), { mailboxId: mailbox(41).id, kind: 'contact' }, { perMailbox: 10, total: 10 }), { name: 'MailboxNotFoundError' })
    await store.createMailbox(mailbox(41), 10)
    await store.getToken(token(6))
    await store.getToken(token(5))
    await assert.rejects(store.putToken(token(2), { mailboxId: mailbox(41).id, kind: 'contact' }, { perMailbox: 10, total: 10 }), { name: 'TokenConflictError' }, 'a token out of the cache is still known to be taken')
    assert.equal(store.stats().tokens, 5)
    await store.close()
  })

  it('keeps the owner\'s last activity across reopenings', async () => {
    const { store, dir } = await open()
    const [a, b] = [mailbox(30), mailbox(31)]
    await store.createMailbox(a, 10, 1_000_000)
    await store.createMailbox(b, 10, 1_000_000)
    await store.touch(a.id, 1_500_000, 100_000)
    await store.touch(b.id, 1_050_000, 100_000)
    assert.deepEqual(store.idleMailboxes(1_200_000), [b.id], 'in memory, every touch counts')
    await store.close()
    const { store: again } = await open(dir)
    // On disk, a touch within the persistence interval of the last one written is not written.
    assert.deepEqual(again.idleMailboxes(1_200_000).map(id => id[0]), [b.id[0]])
    assert.deepEqual(again.idleMailboxes(1_000_001).map(id => id[0]), [b.id[0]])
    assert.deepEqual(again.idleMailboxes(1_000_000), [])
    assert.deepEqual(again.idleMailboxes(1_600_000).length, 2)
    await again.close()
  })

  it('matches a plain model under random operations and reopenings', async () => {
    type Cmd =
      | { op: 'append', box: number, size: number, ttl: number, introduction: boolean }
      | { op: 'remove', box: number, picks: number[] }
      | { op: 'purge', advance: number }
      | { op: 'reopen' }
    const cmd: fc.Arbitrary<Cmd> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ op: fc.constant('append' as const), box: fc.integer({ min: 0, max: 2 }), size: fc.integer({ min: 1, max: 300 }), ttl: fc.integer({ min: 1, max: 100 }), introduction: fc.boolean() }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), box: fc.integer({ min: 0, max: 2 }), picks: fc.array(fc.nat(), { maxLength: 4 }) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('purge' as const), advance: fc.integer({ min: 0, max: 60 }) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('reopen' as const) }) }
    )
    await fc.assert(fc.asyncProperty(fc.array(cmd, { maxLength: 40 }), async (cmds) => {
      const opened = await open()
      const dir = opened.dir
      let store = opened.store
      const boxes = [mailbox(10), mailbox(11), mailbox(12)]
      for (const b of boxes) await store.createMailbox(b, 10)
      const model = boxes.map(() => [] as Array<{ id: number, size: number, expiresAt: number, introduction: boolean }>)
      const lastId = boxes.map(() => 0)
      const reopened = boxes.map(() => false)
      const limits = { maxEnvelopes: 8, maxBytes: 1200, maxIntroductionEnvelopes: 3, maxIntroductionBytes: 500 }
      const sum = (es: Array<{ size: number }>): number => es.reduce((s, e) => s + e.size, 0)
      let now = 1000
      try {
        for (const c of cmds) {
          if (c.op === 'append') {
            const m = model[c.box]!
            const intros = m.filter(e => e.introduction)
            const full = m.length + 1 > limits.maxEnvelopes || sum(m) + c.size > limits.maxBytes ||
              (c.introduction && (intros.length + 1 > limits.maxIntroductionEnvelopes || sum(intros) + c.size > limits.maxIntroductionBytes))
            const kind = c.introduction ? 'introduction' : 'contact'
            const result = await store.append(boxes[c.box]!.id, new Uint8Array(c.size).fill(c.box), now + c.ttl, kind, limits).then(e => e, (e: Error) => e)
            if (full) {
              assert.ok(result instanceof Error && result.name === 'MailboxFullError')
            } else {
              assert.ok(!(result instanceof Error))
              assert.ok(result.id > lastId[c.box]!, 'ids increase and are never reused, across reopenings too')
              if (!reopened[c.box]) assert.equal(result.id, lastId[c.box]! + 1, 'ids follow each other while open')
              lastId[c.box] = result.id
              reopened[c.box] = false
              m.push({ id: result.id, size: c.size, expiresAt: now + c.ttl, introduction: c.introduction })
            }
          } else if (c.op === 'remove') {
            const m = model[c.box]!
            const ids = c.picks.map(p => m.length > 0 && p % 2 === 0 ? m[p % m.length]!.id : 10_000 + p)
            const expected = new Set(ids.filter(id => m.some(e => e.id === id))).size
            assert.equal(await store.remove(boxes[c.box]!.id, ids), expected)
            model[c.box] = m.filter(e => !ids.includes(e.id))
          } else if (c.op === 'purge') {
            now += c.advance
            const expected = model.reduce((s, m) => s + m.filter(e => e.expiresAt <= now).length, 0)
            assert.equal(await store.purgeExpired(now), expected)
            for (let i = 0; i < model.length; i++) model[i] = model[i]!.filter(e => e.expiresAt > now)
          } else {
            await store.close()
            ;({ store } = await open(dir))
            reopened.fill(true)
          }
          for (let i = 0; i < boxes.length; i++) {
            const m = model[i]!
            const intros = m.filter(e => e.introduction)
            assert.deepEqual(store.usage(boxes[i]!.id), { envelopes: m.length, bytes: sum(m), introductionEnvelopes: intros.length, introductionBytes: sum(intros) })
            const listed = await store.list(boxes[i]!.id, 0, 1000, 1 << 20, 0)
            assert.deepEqual(listed.envelopes.map(e => [e.id, e.envelope.byteLength, e.expiresAt]), m.map(e => [e.id, e.size, e.expiresAt]))
          }
        }
      } finally {
        await store.close()
        await removeDir(dir)
      }
    }), { numRuns: 40 })
  })
})
