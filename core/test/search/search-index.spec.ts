// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { SearchIndex, wordsOf } from '../../src/search/index.js'

describe('search index', () => {
  it('folds case and accents, and splits on anything but letters and digits', () => {
    assert.deepEqual(wordsOf('Café, CAFÉ! naïve 2024-05'), ['cafe', 'naive', '2024', '05'])
    assert.deepEqual(wordsOf('Привет мир'), ['привет', 'мир'])
    assert.deepEqual(wordsOf('  ,;  '), [])
  })

  it('finds messages holding every word, the last as a prefix, newest first', () => {
    const index = new SearchIndex()
    index.put({ id: 'a', conversationId: 'bob', text: 'Lunch at the café tomorrow?', sentAt: 1 })
    index.put({ id: 'b', conversationId: 'bob', text: 'Tomorrow then', sentAt: 2 })
    index.put({ id: 'c', conversationId: 'carol', text: 'cafeteria is closed tomorrow', sentAt: 3 })
    assert.deepEqual(index.search('tomorrow').map(h => h.id), ['c', 'b', 'a'])
    assert.deepEqual(index.search('cafe').map(h => h.id), ['c', 'a'])
    assert.deepEqual(index.search('tomorrow caf').map(h => h.id), ['c', 'a'])
    assert.deepEqual(index.search('caf tomorrow').map(h => h.id), [], 'only the last word is a prefix')
    assert.deepEqual(index.search('tomorrow', { conversationId: 'bob' }).map(h => h.id), ['b', 'a'])
    assert.deepEqual(index.search('tomorrow', { limit: 1 }).map(h => h.id), ['c'])
    assert.deepEqual(index.search('!!'), [])
  })

  it('keeps the newest of many hits, in order', () => {
    const index = new SearchIndex()
    const times = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000)
    times.forEach((t, i) => { index.put({ id: `m${i}`, conversationId: 'x', text: 'hello', sentAt: t }) })
    assert.deepEqual(index.search('hello', { limit: 10 }).map(h => h.sentAt), [999, 998, 997, 996, 995, 994, 993, 992, 991, 990])
  })

  it('forgets edited, deleted and cleared messages', () => {
    const index = new SearchIndex()
    index.put({ id: 'a', conversationId: 'bob', text: 'secret plan', sentAt: 1 })
    index.put({ id: 'a', conversationId: 'bob', text: 'public plan', sentAt: 1 })
    assert.deepEqual(index.search('secret'), [])
    assert.deepEqual(index.search('public').map(h => h.id), ['a'])
    index.put({ id: 'b', conversationId: 'carol', text: 'plan b', sentAt: 2 })
    index.remove('a')
    assert.deepEqual(index.search('plan').map(h => h.id), ['b'])
    index.removeConversation('carol')
    assert.equal(index.size, 0)
    assert.deepEqual(index.search('p'), [])
  })

  it('agrees with a scan of every message (model)', () => {
    const word = fc.constantFrom('alpha', 'alps', 'beta', 'Bêta', 'gamma', 'gam', 'delta', 'épée', 'epee', '42')
    const text = fc.array(word, { maxLength: 5 }).map(ws => ws.join(' '))
    const op = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), id: fc.integer({ min: 0, max: 9 }), conversation: fc.constantFrom('x', 'y'), text }),
      fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 9 }) })
    )
    fc.assert(fc.property(fc.array(op, { maxLength: 30 }), fc.array(word, { minLength: 1, maxLength: 3 }), fc.nat({ max: 4 }), (ops, query, cut) => {
      const index = new SearchIndex()
      const model = new Map<string, { conversationId: string, text: string, sentAt: number }>()
      ops.forEach((o, at) => {
        if (o.kind === 'put') {
          index.put({ id: `m${o.id}`, conversationId: o.conversation, text: o.text, sentAt: at })
          model.set(`m${o.id}`, { conversationId: o.conversation, text: o.text, sentAt: at })
        } else {
          index.remove(`m${o.id}`)
          model.delete(`m${o.id}`)
        }
      })
      const q = query.join(' ')
      const qWords = wordsOf(q)
      const last = qWords.at(-1) as string
      const prefix = last.slice(0, Math.max(1, last.length - cut))
      const wanted = [...model.entries()].filter(([, m]) => {
        const ws = wordsOf(m.text)
        return qWords.slice(0, -1).every(w => ws.includes(w)) && ws.some(w => w.startsWith(prefix))
      }).sort((a, b) => b[1].sentAt - a[1].sentAt).map(([id]) => id)
      const got = index.search([...qWords.slice(0, -1), prefix].join(' '), { limit: 100 }).map(h => h.id)
      assert.deepEqual(got, wanted)
    }))
  })
})
