// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The chat screen's conversation features against the memory messenger: the actions of a message
 * (react, edit, delete for everyone), a reply's quote, the read tick, the contact typing, and
 * search within the conversation.
 */
import '../fixtures/dom.js'
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { act, screen, waitFor, within } from '@testing-library/react'
import { renderApp } from '../fixtures/app-harness.js'
import type { Harness } from '../fixtures/app-harness.js'

let h: Harness

/** Opens Bob's conversation, where Bob wrote "lunch at the harbour?" after `earlier` older messages. */
async function openChat (earlier: string[] = []): Promise<string> {
  let bob = ''
  h = await renderApp({
    seed: m => {
      bob = m.seedContact('Bob').id
      const start = Date.now() - 3_600_000
      m.seedHistory(bob, earlier.map((text, i) => ({ direction: 'in' as const, text, sentAt: start + i })))
      m.receive(bob, 'lunch at the harbour?')
    }
  })
  await h.user.click(within(await screen.findByRole('list', { name: 'Conversations' })).getByRole('button', { name: /Bob/ }))
  await screen.findByRole('heading', { level: 2, name: 'Bob' })
  return bob
}

/** The row of the message whose text includes `text`. */
async function row (text: string): Promise<HTMLElement> {
  const log = await screen.findByRole('log', { name: 'Messages with Bob' })
  return (await within(log).findByText(text)).closest('.message') as HTMLElement
}

describe('chat screen: conversation features', () => {
  afterEach(async () => { await h.close() })

  it('reacts, replies with a quote, edits and deletes for everyone', async () => {
    await openChat()
    const question = await row('lunch at the harbour?')
    await h.user.click(within(question).getByRole('button', { name: 'React' }))
    await h.user.click(within(question).getByRole('button', { name: '👍' }))
    await waitFor(() => { assert.equal(question.querySelector('.message-reactions')?.textContent, '👍') })

    await h.user.click(within(question).getByRole('button', { name: 'Reply' }))
    assert.match(screen.getByRole('status').textContent ?? '', /Replying to: lunch at the harbour\?/)
    await h.user.type(screen.getByLabelText('Message'), 'yes, noon{Enter}')
    const reply = await row('yes, noon')
    assert.equal(reply.querySelector('.message-quote')?.textContent, 'lunch at the harbour?')
    const [, stored] = await h.messenger().history('Bob')
    assert.equal(stored?.replyTo, (await h.messenger().history('Bob'))[0]?.id)

    await h.user.click(within(reply).getByRole('button', { name: 'Edit' }))
    const input = within(reply).getByRole('textbox', { name: 'New text' })
    await h.user.clear(input)
    await h.user.type(input, 'yes, at one{Enter}')
    const edited = await row('yes, at one')
    assert.match(edited.textContent ?? '', /edited/)

    await h.user.click(within(edited).getByRole('button', { name: 'Delete' }))
    await h.user.click(within(edited).getByRole('button', { name: 'Delete for everyone' }))
    await row('This message was deleted')
    assert.equal(screen.queryByText('yes, at one'), null)
    // Someone else's message can be deleted only here.
    await h.user.click(within(question).getByRole('button', { name: 'Delete' }))
    assert.equal(within(question).queryByRole('button', { name: 'Delete for everyone' }), null)
  })

  it('shows the read tick, the contact typing, and search results within the conversation', async () => {
    const bob = await openChat()
    await h.user.type(screen.getByLabelText('Message'), 'see you there{Enter}')
    const mine = await row('see you there')
    const [, sent] = await h.messenger().history('Bob')
    act(() => { h.messenger().setState(sent!.id, 'read') })
    await waitFor(() => { assert.match(mine.textContent ?? '', /Read ✓✓/) })

    act(() => { h.messenger().announce('typing', { contactId: bob, started: true }) })
    assert.match((await screen.findByText(/is typing…/)).textContent ?? '', /Bob is typing…/)
    act(() => { h.messenger().announce('typing', { contactId: bob, started: false }) })
    await waitFor(() => { assert.equal(screen.queryByText(/is typing…/), null) })

    await h.user.type(screen.getByRole('searchbox', { name: 'Search this conversation' }), 'harbour')
    const results = await screen.findByRole('list', { name: 'Search results' })
    await waitFor(() => { assert.match(results.textContent ?? '', /lunch at the harbour\?/) })
    assert.doesNotMatch(results.textContent ?? '', /see you there/)
  })

  it('a search result older than the first page loads pages until it is shown, and is focused', async () => {
    const earlier = ['the very first message', ...Array.from({ length: 150 }, (_, i) => `filler ${i}`)]
    await openChat(earlier)
    const log = await screen.findByRole('log', { name: 'Messages with Bob' })
    assert.equal(within(log).queryByText('the very first message'), null, 'not on the first page')
    await h.user.type(screen.getByRole('searchbox', { name: 'Search this conversation' }), 'very first')
    const results = await screen.findByRole('list', { name: 'Search results' })
    await h.user.click(await within(results).findByRole('button', { name: /the very first message/ }))
    await waitFor(() => {
      const first = within(log).getByText('the very first message').closest('.message')
      assert.equal(document.activeElement, first)
    })
  })
})
