// SPDX-License-Identifier: AGPL-3.0-only
import '../fixtures/dom.js'
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { act, screen, waitFor, within } from '@testing-library/react'
import { renderApp } from '../fixtures/app-harness.js'
import type { Harness } from '../fixtures/app-harness.js'

describe('requests screen', () => {
  let h: Harness
  afterEach(async () => { await h.close() })

  it('lists a stranger with their first message; accept opens the chat, block removes them', async () => {
    h = await renderApp({ initialView: { kind: 'requests' } })
    await screen.findByRole('heading', { name: 'Requests' })
    assert.ok(screen.getByText('No requests.'))
    act(() => {
      h.messenger().request('Carol', 'hi, we met at the conference')
      h.messenger().request('Mallory', 'click my link')
    })
    assert.ok(await screen.findByText('hi, we met at the conference'))
    const nav = screen.getByRole('navigation', { name: 'Sotto' })
    await waitFor(() => { assert.ok(within(nav).getByLabelText('2 waiting')) })

    await h.user.click(screen.getByRole('button', { name: 'Block Mallory' }))
    await waitFor(() => { assert.equal(screen.queryByText('click my link'), null) })
    assert.equal((await h.messenger().requests()).find(r => r.displayName === 'Mallory')?.blocked, true)

    await h.user.click(screen.getByRole('button', { name: 'Accept Carol' }))
    assert.ok(await screen.findByRole('heading', { level: 2, name: 'Carol' }))
    assert.equal((await h.messenger().contacts()).map(c => c.displayName).join(), 'Carol')
  })

  it('says how many older requests were dropped to keep the newest', async () => {
    h = await renderApp({ initialView: { kind: 'requests' } })
    await screen.findByRole('heading', { name: 'Requests' })
    assert.equal(screen.queryByText(/older request/), null, 'nothing said while none was dropped')
    act(() => {
      h.messenger().dropOldRequests(3)
      h.messenger().request('Zed', 'one more')
    })
    assert.ok(await screen.findByText('3 older requests were dropped to keep the newest.'))
  })
})

describe('conversation list', () => {
  let h: Harness
  afterEach(async () => { await h.close() })

  it('shows presence, unread counts and the last message, and opens a chat', async () => {
    let bob = ''
    let eve = ''
    h = await renderApp({
      seed: m => {
        bob = m.seedContact('Bob', { presence: 'direct' }).id
        eve = m.seedContact('Eve', { presence: 'relay' }).id
        m.seedContact('Dan')
      }
    })
    const list = await screen.findByRole('list', { name: 'Conversations' })
    act(() => {
      h.messenger().receive(bob, 'first')
      h.messenger().receive(bob, 'second from Bob')
    })
    const bobButton = await within(list).findByRole('button', { name: /Bob/ })
    await waitFor(() => { assert.ok(within(bobButton).getByLabelText('2 unread')) })
    assert.ok(within(bobButton).getByText('second from Bob'))
    assert.ok(within(bobButton).getByText('Direct.', { exact: false }))
    assert.ok(within(within(list).getByRole('button', { name: /Eve/ })).getByText('Via relay.', { exact: false }))
    const dan = within(list).getByRole('button', { name: /Dan/ })
    assert.ok(within(dan).getByText('Offline.', { exact: false }))
    assert.ok(within(dan).getByText('No messages yet'))
    assert.equal(within(list).getAllByRole('button')[0], bobButton, 'newest activity first')

    act(() => { h.messenger().setPresence(eve, 'offline') })
    await waitFor(() => { assert.ok(within(within(list).getByRole('button', { name: /Eve/ })).getByText('Offline.', { exact: false })) })

    bobButton.focus()
    await h.user.keyboard('{Enter}')
    assert.ok(await screen.findByRole('heading', { level: 2, name: 'Bob' }))
    await waitFor(() => { assert.equal(within(list).queryByLabelText('2 unread'), null) })
    assert.equal(bobButton.getAttribute('aria-current'), 'true')
  })

  it('shows the user\'s own message as a contact\'s last one once sent, that conversation first', async () => {
    let bob = ''
    h = await renderApp({
      seed: m => {
        m.seedContact('Dan')
        bob = m.seedContact('Bob').id
      }
    })
    const list = await screen.findByRole('list', { name: 'Conversations' })
    const order = (): string[] => within(list).getAllByRole('button').map(b => b.querySelector('.conversation-name')?.textContent ?? '')
    act(() => { h.messenger().receive(bob, 'from Bob') })
    await within(list).findByText('from Bob')
    assert.deepEqual(order(), ['Bob', 'Dan'])
    await h.user.click(within(list).getByRole('button', { name: /Dan/ }))
    await screen.findByRole('heading', { level: 2, name: 'Dan' })
    await h.user.click(screen.getByLabelText('Message'))
    await h.user.keyboard('hello Dan{Enter}')
    await within(list).findByText('You: hello Dan')
    assert.deepEqual(order(), ['Dan', 'Bob'], 'newest activity first')
  })
})
