// SPDX-License-Identifier: AGPL-3.0-only
import '../fixtures/dom.js'
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { act, screen, waitFor, within } from '@testing-library/react'
import { chatRows } from '../../src/renderer/screens/chat.js'
import { renderApp } from '../fixtures/app-harness.js'
import type { Harness } from '../fixtures/app-harness.js'
import type { MessageView } from '../../src/shared/contract.js'

const DAY = 86_400_000

let h: Harness
const closeHarness = async (): Promise<void> => { await h.close() }

let bob = ''
const bobId = (): string => bob

type Seed = (contactId: string, h: { receive: (text: string, at?: number) => void, receiveFile: (file: { name: string, size: number, mime: string }) => void }) => void

async function openChat (seed?: Seed): Promise<string> {
  h = await renderApp({
    seed: m => {
      bob = m.seedContact('Bob', { presence: 'relay' }).id
      seed?.(bob, { receive: (text, at) => { m.receive(bob, text, at) }, receiveFile: file => { m.receiveFile(bob, file) } })
    }
  })
  const list = await screen.findByRole('list', { name: 'Conversations' })
  await h.user.click(within(list).getByRole('button', { name: /Bob/ }))
  await screen.findByRole('heading', { level: 2, name: 'Bob' })
  return bob
}

describe('chat screen: messages', () => {
  afterEach(closeHarness)

  it('sends with Enter and shows each delivery state as it changes', async () => {
    await openChat()
    assert.ok(screen.getByText('No messages yet. Say hello.'))
    assert.ok(screen.getByText('Via relay'))
    const composer = screen.getByLabelText('Message')
    await h.user.click(composer)
    await h.user.keyboard('first line{Shift>}{Enter}{/Shift}second line{Enter}')
    const log = await screen.findByRole('log', { name: 'Messages with Bob' })
    const text = await within(log).findByText(/first line/)
    assert.equal(text.textContent, 'first line\nsecond line')
    assert.equal((composer as HTMLTextAreaElement).value, '')
    const row = text.closest('.message') as HTMLElement
    assert.match(row.textContent ?? '', /Queued/)

    const [sent] = await h.messenger().history('Bob')
    act(() => { h.messenger().setState(sent!.id, 'sent') })
    await waitFor(() => { assert.match(row.textContent ?? '', /Sent to relay/) })
    act(() => { h.messenger().setState(sent!.id, 'delivered') })
    await waitFor(() => { assert.match(row.textContent ?? '', /Delivered/) })
    assert.equal(row.dataset.state, 'delivered')
  })

  it('separates days and marks incoming messages read', async () => {
    const now = Date.now()
    await openChat((_id, c) => {
      c.receive('from the day before yesterday', now - 2 * DAY)
      c.receive('from yesterday', now - DAY)
    })
    const log = await screen.findByRole('log')
    assert.ok(within(log).getByRole('heading', { name: 'Yesterday' }))
    assert.equal(within(log).getAllByRole('heading').length, 2)
    await waitFor(async () => { assert.equal((await h.messenger().contact('Bob')).unread, 0) })
    act(() => { h.messenger().receive(bobId(), 'arrives while open') })
    assert.ok(await within(log).findByText('arrives while open'))
    assert.ok(within(log).getByRole('heading', { name: 'Today' }))
    await waitFor(async () => { assert.equal((await h.messenger().contact('Bob')).unread, 0) })
  })

  it('renders a long history virtualised and loads older messages on scroll', async () => {
    const start = Date.now() - 5000 * 60_000
    await openChat((_id, c) => {
      for (let i = 0; i < 5000; i++) c.receive(`message number ${i}`, start + i * 60_000)
    })
    const log = await screen.findByRole('log')
    await within(log).findByText('message number 4999')
    const rendered = log.querySelectorAll('.message').length
    assert.ok(rendered > 0 && rendered < 80, `only the rows near the viewport are in the DOM (${rendered})`)
    assert.equal(within(log).queryByText('message number 0'), null)
    assert.equal(within(log).queryByText('message number 4899'), null, 'older pages are not loaded yet')

    log.scrollTop = 0
    log.dispatchEvent(new Event('scroll', { bubbles: true }))
    await waitFor(() => { assert.equal(h.calls.filter(c => c === 'history').length, 2) })
    await within(log).findByText('message number 4899')
    assert.ok(log.scrollTop > 0, 'the view stays where it was rather than jumping to the oldest row')
    assert.ok(log.querySelectorAll('.message').length < 80)
  })

  it('keeps its place when older messages of the same day load above', async () => {
    const noon = new Date()
    noon.setHours(12, 0, 0, 0)
    await openChat((_id, c) => {
      for (let i = 0; i < 300; i++) c.receive(`same day ${i}`, noon.getTime() + i * 1000)
    })
    const log = await screen.findByRole('log')
    await within(log).findByText('same day 299')
    // Hold the older page until the list has rendered its top, as a real round trip does.
    const m = h.messenger()
    const history = m.history.bind(m)
    let release!: () => void
    const held = new Promise<void>(resolve => { release = resolve })
    m.history = async (ref, options) => { await held; return history(ref, options) }
    log.scrollTop = 0
    log.dispatchEvent(new Event('scroll', { bubbles: true }))
    await within(log).findByText('same day 200')
    release()
    await within(log).findByText('same day 199')
    // One day, so one separator: it moved above the older page, and the view did not follow it.
    assert.ok(log.scrollTop > 0, 'the view stays where it was rather than jumping to the oldest row')
  })

  it('loads older messages with Home on the focused list, when already at the top', async () => {
    await openChat((_id, c) => {
      for (let i = 0; i < 300; i++) c.receive(`keyed ${i}`, Date.now() - (300 - i) * 1000)
    })
    const log = await screen.findByRole('log')
    await within(log).findByText('keyed 299')
    // At the top with no scroll event to come (the list may not even scroll): Home asks itself.
    log.scrollTop = 0
    log.focus()
    await h.user.keyboard('{Home}')
    await waitFor(() => { assert.equal(h.calls.filter(c => c === 'history').length, 2) })
  })

})

describe('chat screen: the conversation\'s controls', () => {
  afterEach(closeHarness)

  it('sets the disappearing timer and shows it', async () => {
    await openChat()
    const select = screen.getByLabelText('Disappearing messages') as HTMLSelectElement
    assert.equal(select.value, '0')
    await h.user.selectOptions(select, '3600')
    await screen.findByText('Messages disappear 1 hour after they are read.')
    assert.equal((await h.messenger().contact('Bob')).disappearingSeconds, 3600)
  })

  it('shows the safety number and marks it verified, keyboard only', async () => {
    await openChat()
    const button = screen.getByRole('button', { name: 'Safety number' })
    button.focus()
    await h.user.keyboard('{Enter}')
    const dialog = await screen.findByRole('dialog', { name: 'Safety number' })
    const groups = within(dialog).getByRole('group', { name: 'Safety number' })
    assert.equal(groups.children.length, 12)
    for (const g of groups.children) assert.match(g.textContent ?? '', /^\d{5}$/)
    assert.ok(within(dialog).getByText('Not verified'))
    assert.equal(document.activeElement, within(dialog).getByRole('button', { name: 'Close' }))
    await h.user.tab()
    assert.equal(document.activeElement, within(dialog).getByRole('button', { name: 'Mark as verified' }))
    await h.user.keyboard('{Enter}')
    await within(dialog).findByText('Verified')
    assert.equal((await h.messenger().contact('Bob')).verified, true)
    await h.user.tab()
    assert.ok(dialog.contains(document.activeElement), 'focus stays in the dialog')
    await h.user.keyboard('{Escape}')
    await waitFor(() => { assert.equal(screen.queryByRole('dialog'), null) })
    assert.equal(document.activeElement, button, 'focus returns to the button')
    assert.ok(screen.getByText('Verified', { selector: '.badge' }))
  })

  it('blocks after confirmation, and deletes the conversation', async () => {
    await openChat()
    await h.user.click(screen.getByRole('button', { name: 'Block' }))
    const confirm = await screen.findByRole('dialog', { name: 'Block this contact?' })
    assert.equal(document.activeElement, within(confirm).getByRole('button', { name: 'Cancel' }), 'Cancel has the focus first')
    await h.user.click(within(confirm).getByRole('button', { name: 'Block' }))
    await screen.findByRole('button', { name: 'Unblock' })
    assert.equal((await h.messenger().contact('Bob')).blocked, true)
    assert.equal((screen.getByLabelText('Message') as HTMLTextAreaElement).disabled, true)

    await h.user.click(screen.getByRole('button', { name: 'Delete' }))
    const del = await screen.findByRole('dialog', { name: 'Delete this conversation?' })
    await h.user.click(within(del).getByRole('button', { name: 'Delete' }))
    // With no contact left, the app shows how to make one.
    await screen.findByText(/^No contacts yet/)
    assert.ok(screen.getByRole('heading', { name: 'My invite' }))
    assert.deepEqual(await h.messenger().contacts(), [])
  })

  it('asks to accept a changed safety number', async () => {
    await openChat()
    act(() => { h.messenger().changeIdentity(bobId()) })
    const banner = await screen.findByText(/The safety number with/)
    assert.ok(banner.closest('[role="alert"]'))
    await h.user.click(screen.getByRole('button', { name: 'Accept the new key' }))
    await waitFor(() => { assert.equal(screen.queryByText(/The safety number with/), null) })
    assert.equal((await h.messenger().contact('Bob')).identityChanged, false)
  })

  it('keeps the old key from the changed safety number banner', async () => {
    await openChat()
    act(() => { h.messenger().changeIdentity(bobId()) })
    await screen.findByText(/The safety number with/)
    await h.user.click(screen.getByRole('button', { name: 'Keep the old key' }))
    await waitFor(() => { assert.equal(screen.queryByText(/The safety number with/), null) })
    const bob = await h.messenger().contact('Bob')
    assert.equal(bob.identityChanged, false)
    assert.equal(bob.held, 0)
    assert.equal(bob.blocked, false)
  })

  it('blocks from the changed safety number banner, after asking', async () => {
    await openChat()
    act(() => { h.messenger().changeIdentity(bobId()) })
    const banner = (await screen.findByText(/The safety number with/)).closest('[role="alert"]') as HTMLElement
    await h.user.click(within(banner).getByRole('button', { name: 'Block' }))
    const dialog = await screen.findByRole('dialog', { name: 'Block this contact?' })
    await h.user.click(within(dialog).getByRole('button', { name: 'Block' }))
    await waitFor(async () => { assert.equal((await h.messenger().contact('Bob')).blocked, true) })
    assert.equal((await h.messenger().contact('Bob')).held, 0, 'what the new key sent is dropped')
    await waitFor(() => { assert.equal(within(banner).queryByRole('button', { name: 'Block' }), null) })
  })
})

describe('chat screen: files', () => {
  afterEach(closeHarness)

  it('shows a file message by its kind, name and size, the name as text', async () => {
    await openChat((_id, c) => {
      c.receiveFile({ name: 'minutes <b>2025</b>.pdf', size: 1536 * 1024, mime: 'application/pdf' })
    })
    const log = await screen.findByRole('log', { name: 'Messages with Bob' })
    const card = (await within(log).findByText('minutes <b>2025</b>.pdf')).closest('.message-file') as HTMLElement
    assert.equal(card.textContent, 'PDF minutes <b>2025</b>.pdf 1.5 MB')
    assert.equal(card.querySelector('b'), null)
    const list = screen.getByRole('list', { name: 'Conversations' })
    assert.match(within(list).getByRole('button', { name: /Bob/ }).textContent ?? '', /PDF: minutes <b>2025<\/b>\.pdf/)
  })
})

describe('chatRows', () => {
  it('puts one separator before each new day', () => {
    const base = new Date(2026, 0, 10, 23, 0).getTime()
    const m = (id: string, at: number): MessageView => ({ id, contactId: 'c', direction: 'in', text: id, sentAt: at, storedAt: at, state: 'delivered' })
    const rows = chatRows([m('a', base), m('b', base + 30 * 60_000), m('c', base + 2 * 3600_000), m('d', base + 3 * 3600_000)])
    assert.deepEqual(rows.map(r => r.kind === 'day' ? 'day' : r.message.id), ['day', 'a', 'b', 'day', 'c', 'd'])
  })
})
