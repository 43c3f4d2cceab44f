// SPDX-License-Identifier: AGPL-3.0-only
import '../fixtures/dom.js'
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { act, screen, waitFor, within } from '@testing-library/react'
import { BIDI_CONTROLS } from '../../src/shared/contract.js'
import { cleanName, splitLinks } from '../../src/renderer/components/peer-text.js'
import { renderApp } from '../fixtures/app-harness.js'
import type { Harness } from '../fixtures/app-harness.js'

/** Hostile text from peers: markup, handlers, script URLs, template syntax, bidi overrides. */
export const XSS_CORPUS = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss=1">',
  '<svg onload="window.__xss=1"><circle r=1 /></svg>',
  '<a href="javascript:window.__xss=1">click me</a>',
  'javascript:window.__xss=1',
  'JaVaScRiPt:window.__xss=1',
  'https://example.org/"><script>window.__xss=1</script>',
  'https://example.org/ok onmouseover=window.__xss=1',
  '"><iframe src="javascript:window.__xss=1"></iframe>',
  '<style>body { display: none }</style>',
  '{{constructor.constructor("window.__xss=1")()}}',
  '${window.__xss=1}',
  'data:text/html,<script>window.__xss=1</script>',
  '&lt;b&gt;entities stay text&lt;/b&gt;',
  '<math><mi xlink:href="javascript:window.__xss=1">x</mi></math>',
  'invoice\u202Efdp.exe',
  '\u2066admin\u2069 \u202Bright-to-left\u202C',
  'Bob\u202E \u2067txet desrever\u2069',
  '\u200F\u061C marks \u200E'
]

function assertInert (root: HTMLElement): void {
  assert.equal((window as unknown as { __xss?: unknown }).__xss, undefined, 'no injected code ran')
  assert.equal(root.querySelectorAll('script, img, iframe, style, object, embed, math, link, meta, base').length, 0, 'no injected elements')
  for (const el of root.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames()) {
      assert.ok(!/^on/i.test(attr), `no event handler attributes (${el.tagName} ${attr})`)
    }
  }
  for (const a of root.querySelectorAll('a')) {
    assert.match(a.getAttribute('href') ?? '', /^https:\/\/[^\s"<>]+$/, 'links are https only')
    assert.equal(a.getAttribute('rel'), 'noopener noreferrer')
  }
}

describe('XSS corpus renders inert', () => {
  let h: Harness
  afterEach(async () => { await h.close() })

  it('in contact names, request names, message texts, previews and dialogs', async () => {
    const ids: string[] = []
    h = await renderApp({
      seed: m => {
        for (const [i, evil] of XSS_CORPUS.entries()) {
          const c = m.seedContact(evil, { presence: i % 2 === 0 ? 'direct' : 'offline' })
          ids.push(c.id)
        }
      }
    })
    const root = h.view.container
    const list = await screen.findByRole('list', { name: 'Conversations' })
    act(() => {
      for (const [i, evil] of XSS_CORPUS.entries()) h.messenger().receive(ids[i]!, evil)
      for (const evil of XSS_CORPUS) h.messenger().request(evil, evil)
    })
    await waitFor(() => { assert.equal(within(list).getAllByRole('button').length, XSS_CORPUS.length) })
    assertInert(root)

    // Names are shown as text, without bidi controls, isolated.
    for (const name of root.querySelectorAll('.peer-name')) {
      assert.equal(name.tagName.toLowerCase(), 'bdi')
      assert.doesNotMatch(name.textContent ?? '', BIDI_CONTROLS)
    }
    assert.equal(within(list).getAllByText('<script>window.__xss = 1</script>').length, 2, 'markup is visible as text (name and preview)')
    assert.ok(within(list).getByText('invoicefdp.exe'), 'the override character is gone from the name')

    // Previews and messages keep the text (bidi included) but isolated in <bdi>.
    for (const preview of root.querySelectorAll('.conversation-preview')) assert.equal(preview.tagName.toLowerCase(), 'bdi')

    // Every conversation: the messages render as text.
    for (const [i, evil] of XSS_CORPUS.entries()) {
      const button = [...within(list).getAllByRole('button')].find(b => b.querySelector('.conversation-name')?.textContent === cleanName(evil))!
      await h.user.click(button)
      const log = await screen.findByRole('log')
      await waitFor(() => { assert.ok([...log.querySelectorAll('.peer-text')].some(t => t.textContent === evil), `message ${i} shown verbatim`) })
      for (const t of log.querySelectorAll('.peer-text')) {
        assert.equal(t.tagName.toLowerCase(), 'bdi')
        assert.equal(t.getAttribute('dir'), 'auto')
      }
      assertInert(root)
    }

    await h.user.click(screen.getByRole('button', { name: 'Safety number' }))
    assertInert(root)
    await h.user.keyboard('{Escape}')

    await h.user.click(within(screen.getByRole('navigation', { name: 'Sotto' })).getByRole('button', { name: /Requests/ }))
    await screen.findByRole('heading', { name: 'Requests' })
    await waitFor(() => { assert.equal(root.querySelectorAll('.request').length, XSS_CORPUS.length) })
    assertInert(root)
  })

  it('turns only https URLs into links, and opens them through the main side', async () => {
    assert.deepEqual(splitLinks('see https://example.org/a, then javascript:alert(1)'), [
      { kind: 'text', value: 'see ' },
      { kind: 'link', value: 'https://example.org/a' },
      { kind: 'text', value: ', then javascript:alert(1)' }
    ])
    assert.deepEqual(splitLinks('https://example.org/\u202Eexe.pdf').map(p => p.value), ['https://example.org/', '\u202Eexe.pdf'])
    assert.deepEqual(splitLinks('http://plain.example/ and https://'), [{ kind: 'text', value: 'http://plain.example/ and https://' }])

    let bob = ''
    h = await renderApp({ seed: m => { bob = m.seedContact('Bob').id } })
    const list = await screen.findByRole('list', { name: 'Conversations' })
    act(() => { h.messenger().receive(bob, 'read https://example.org/post?id=1 now') })
    await h.user.click(within(list).getByRole('button', { name: /Bob/ }))
    const link = await screen.findByRole('link', { name: 'https://example.org/post?id=1' })
    await h.user.click(link)
    await waitFor(() => { assert.ok(h.calls.includes('openLink')) })
    assert.equal(window.location.href, 'http://127.0.0.1:8080/', 'the page did not navigate')
  })
})
