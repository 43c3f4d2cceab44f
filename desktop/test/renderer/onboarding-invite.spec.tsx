// SPDX-License-Identifier: AGPL-3.0-only
import '../fixtures/dom.js'
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { act, screen, waitFor, within } from '@testing-library/react'
import { qrPng } from '@sotto/core/links'
import { renderApp } from '../fixtures/app-harness.js'
import { revokeShortLink, storeShortLink } from '../fixtures/memory-links.js'
import type { Harness } from '../fixtures/app-harness.js'

const RELAY_ADDR = '/ip4/192.0.2.7/tcp/4001/p2p/12D3KooWGE8Fj24EPMF35MWsCNBfqiHpC5aGRRKjyQKQyzR9HbQi'
const RELAY_LINK = `sotto://relay${RELAY_ADDR}?operator=Poster+Relay&jurisdiction=FR`

/** A memory invite of `name`. */
function inviteOf (name: string, relays: string[] = []): string {
  return `sotto://invite/${Buffer.from(JSON.stringify({ name, userId: name.toLowerCase(), relays })).toString('base64url')}`
}

describe('onboarding with an invite given on the first screen', () => {
  let h: Harness
  afterEach(async () => { await h.close() })

  it('reads the QR code of an invite, says who invited, and Create adds them: upload, name, create', async () => {
    h = await renderApp({ ready: false })
    const png = new Uint8Array(await qrPng(storeShortLink(inviteOf('Erin'))))
    await h.user.upload(await screen.findByLabelText('QR code image of the invite'), new File([png], 'erin.png', { type: 'image/png' }))
    assert.ok(await screen.findByRole('heading', { name: 'Erin invited you' }))
    assert.match(screen.getByText(/also adds/).textContent ?? '', /Erin to your contacts/)
    await h.user.type(screen.getByLabelText('Your name'), 'Ada')
    await h.user.click(screen.getByRole('button', { name: 'Create my identity and add Erin' }))
    assert.ok(await screen.findByRole('heading', { level: 2, name: 'Erin' }))
    assert.ok(screen.getByRole('textbox', { name: 'Message' }), 'the composer waits for the first message')
    assert.deepEqual((await h.messenger().contacts()).map(c => c.displayName), ['Erin'])
  })

  it('adds nobody after "Not now", nor for a relay link\'s QR code read as an invite', async () => {
    h = await renderApp({ ready: false })
    const relayPng = new Uint8Array(await qrPng(RELAY_LINK))
    await h.user.upload(await screen.findByLabelText('QR code image of the invite'), new File([relayPng], 'poster.png', { type: 'image/png' }))
    assert.equal((await screen.findByRole('alert')).textContent, 'This QR code holds no invite')
    await h.user.click(screen.getByLabelText('Their invite link'))
    await h.user.paste(inviteOf('Frank'))
    assert.ok(await screen.findByRole('heading', { name: 'Frank invited you' }))
    await h.user.click(screen.getByRole('button', { name: 'Not now' }))
    assert.equal(screen.queryByRole('heading', { name: /invited you/ }), null)
    await h.user.type(screen.getByLabelText('Your name'), 'Ada')
    await h.user.click(screen.getByRole('button', { name: 'Create my identity' }))
    await screen.findByRole('navigation', { name: 'Sotto' })
    assert.equal(screen.queryByRole('dialog'), null)
    assert.deepEqual(await h.messenger().contacts(), [])
    assert.equal(h.calls.includes('addContact'), false)
  })

  it('refuses a revoked short link clearly, and Create then adds nobody', async () => {
    h = await renderApp({ ready: false })
    const short = storeShortLink(inviteOf('Gus'))
    revokeShortLink(short)
    await h.user.click(await screen.findByLabelText('Their invite link'))
    await h.user.paste(short)
    assert.match((await screen.findByRole('alert')).textContent ?? '', /revoked/)
    await h.user.type(screen.getByLabelText('Your name'), 'Ada')
    await h.user.click(screen.getByRole('button', { name: 'Create my identity' }))
    await screen.findByRole('navigation', { name: 'Sotto' })
    assert.equal(h.calls.includes('addContact'), false)
  })
})

describe('a relay link opened from outside the app', () => {
  let h: Harness
  afterEach(async () => { await h.close() })

  it('is among the chosen relays of onboarding when Sotto is not set up', async () => {
    h = await renderApp({ ready: false, prepare: service => { assert.equal(service.offerLink(RELAY_LINK), true) } })
    const list = await screen.findByRole('list', { name: 'Chosen and offered relays' })
    assert.ok(await within(list).findByText('Poster Relay'))
    await h.user.type(screen.getByLabelText('Your name'), 'Ada')
    await h.user.click(screen.getByRole('button', { name: 'Create my identity' }))
    await screen.findByRole('navigation', { name: 'Sotto' })
    assert.deepEqual(h.messenger().options.relays, [RELAY_ADDR])
    assert.equal(screen.queryByRole('dialog'), null, 'once taken by onboarding, Settings does not ask again')
  })

  it('opens Settings, which asks before adding the relay, when Sotto is set up', async () => {
    h = await renderApp({ opened: RELAY_LINK })
    const dialog = await screen.findByRole('dialog', { name: 'Add this relay?' })
    assert.ok(within(dialog).getByText('Poster Relay'))
    await h.user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    assert.equal(screen.queryByRole('dialog'), null)
    assert.equal(h.calls.includes('addRelay'), false, 'cancelled: not added')
    act(() => { assert.equal(h.service.offerLink(`${RELAY_LINK}&code=poster-42`), true) })
    const again = await screen.findByRole('dialog', { name: 'Add this relay?' })
    await h.user.click(within(again).getByRole('button', { name: 'Add relay' }))
    const relays = await screen.findByRole('list', { name: 'Relays' })
    assert.ok(await within(relays).findByText(RELAY_ADDR))
    assert.deepEqual((await h.messenger().relays()).map(r => r.addr), [RELAY_ADDR])
  })
})

describe('first contact', () => {
  let h: Harness
  afterEach(async () => { await h.close() })

  it('shows the request of whoever used the invite where the user looks first: one click to accept', async () => {
    h = await renderApp()
    await screen.findByText(/No contacts yet/)
    act(() => { h.messenger().request('Bob', 'hello from your QR code') })
    assert.ok(await screen.findByText('hello from your QR code'))
    await h.user.click(screen.getByRole('button', { name: 'Accept Bob' }))
    assert.ok(await screen.findByRole('heading', { level: 2, name: 'Bob' }))
    await waitFor(async () => { assert.deepEqual((await h.messenger().contacts()).map(c => c.displayName), ['Bob']) })
  })
})
