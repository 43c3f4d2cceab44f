// SPDX-License-Identifier: AGPL-3.0-only
import '../fixtures/dom.js'
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { screen, waitFor, within } from '@testing-library/react'
import { renderApp } from '../fixtures/app-harness.js'
import type { Harness } from '../fixtures/app-harness.js'

describe('my invite screen', () => {
  let h: Harness
  afterEach(async () => { await h.close() })

  it('shows the link, copies it, and draws it as a QR code', async () => {
    h = await renderApp({ initialView: { kind: 'invite' } })
    const field = await screen.findByLabelText('Invite link') as HTMLTextAreaElement
    assert.match(field.value, /^sotto:\/\/invite\/[A-Za-z0-9_-]+$/)
    assert.equal(field.readOnly, true)
    const qr = screen.getByRole('img', { name: 'QR code of your invite link' })
    assert.equal(qr.tagName.toLowerCase(), 'svg')
    assert.match(qr.querySelector('path')?.getAttribute('d') ?? '', /^M\d+ \d+h1v1h-1z/)

    await h.user.click(screen.getByRole('button', { name: 'Copy link' }))
    await waitFor(() => { assert.match(screen.getByRole('status').textContent ?? '', /Copied|Selected/) })
    if (screen.getByRole('status').textContent === 'Copied') {
      assert.equal(await navigator.clipboard.readText(), field.value)
    }

    const before = field.value
    await h.user.click(screen.getByRole('button', { name: 'New link' }))
    await waitFor(() => { assert.equal(h.calls.filter(c => c === 'createInvite').length, 2) })
    assert.match((screen.getByLabelText('Invite link') as HTMLTextAreaElement).value, /^sotto:\/\/invite\//)
    assert.ok(before.length > 0)
  })
})

describe('add contact screen', () => {
  let h: Harness
  afterEach(async () => { await h.close() })

  it('refuses a malformed link and opens the conversation of a good one', async () => {
    h = await renderApp({ initialView: { kind: 'add' } })
    const link = await screen.findByLabelText('Their invite link')
    await h.user.type(link, 'https://evil.example/invite')
    await h.user.click(within(screen.getByRole('form', { name: 'Add a contact' })).getByRole('button', { name: 'Add contact' }))
    assert.match((await screen.findByRole('alert')).textContent ?? '', /sotto:\/\/invite/)
    assert.equal(h.calls.filter(c => c === 'addContact').length, 1)

    const card = Buffer.from(JSON.stringify({ name: 'Bob', userId: 'someone-else' })).toString('base64url')
    await h.user.clear(link)
    await h.user.click(link)
    await h.user.paste(`sotto://invite/${card}`)
    await h.user.type(screen.getByLabelText('Name for them (optional)'), 'Bobby')
    await h.user.click(within(screen.getByRole('form', { name: 'Add a contact' })).getByRole('button', { name: 'Add contact' }))
    const chat = await screen.findByRole('heading', { level: 2, name: 'Bobby' })
    assert.ok(chat)
    const list = screen.getByRole('list', { name: 'Conversations' })
    assert.ok(within(list).getByText('Bobby'))
  })
})

describe('an invite link opened outside the app', () => {
  let h: Harness
  afterEach(async () => { await h.close() })
  const card = Buffer.from(JSON.stringify({ name: 'Carol', userId: 'carol' })).toString('base64url')

  it('opens Add contact with the link filled in, and adds only when the user confirms', async () => {
    h = await renderApp()
    await screen.findByRole('navigation', { name: 'Sotto' })
    assert.equal(h.service.offerInvite(`sotto://invite/${card}`), true)
    const link = await screen.findByLabelText('Their invite link') as HTMLTextAreaElement
    assert.equal(link.value, `sotto://invite/${card}`)
    assert.equal(h.calls.includes('addContact'), false, 'nothing is added without the user')
    await h.user.click(within(screen.getByRole('form', { name: 'Add a contact' })).getByRole('button', { name: 'Add contact' }))
    assert.ok(await screen.findByRole('heading', { level: 2, name: 'Carol' }))
  })

  it('is kept for the window when it arrives before the window shows, and refused when not an invite', async () => {
    h = await renderApp({
      prepare: service => {
        assert.equal(service.offerInvite('https://example.org/'), false)
        assert.equal(service.offerInvite(`sotto://invite/${card}`), true)
      }
    })
    const link = await screen.findByLabelText('Their invite link') as HTMLTextAreaElement
    assert.equal(link.value, `sotto://invite/${card}`)
    assert.deepEqual(await h.service.dispatch('pendingInvite', undefined), { ok: true, value: { invite: null } }, 'taken once')
  })
})
