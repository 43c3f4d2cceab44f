// SPDX-License-Identifier: AGPL-3.0-only
import '../fixtures/dom.js'
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { screen, waitFor, within } from '@testing-library/react'
import QRCode from 'qrcode'
import { renderApp } from '../fixtures/app-harness.js'
import { qrPng } from '@sotto/core/links'
import { readCard, storeShortLink } from '../fixtures/memory-links.js'
import type { Harness } from '../fixtures/app-harness.js'

const RELAY = '/ip4/192.0.2.7/tcp/4001/p2p/12D3KooWRelayRelayRelayRelayRelayRelayRelayRelay'

/** The path the QR code component draws for `text`. */
function qrPath (text: string): string {
  const code = QRCode.create(text, { errorCorrectionLevel: 'L' })
  let path = ''
  for (let y = 0; y < code.modules.size; y++) {
    for (let x = 0; x < code.modules.size; x++) if (code.modules.get(y, x) !== 0) path += `M${x + 4} ${y + 4}h1v1h-1z`
  }
  return path
}

describe('my invite screen', () => {
  let h: Harness
  afterEach(async () => { await h.close() })

  it('without a relay: the long link, copied, and drawn as a QR code; no short link', async () => {
    h = await renderApp({ initialView: { kind: 'invite' } })
    const field = await screen.findByLabelText('Long invite link') as HTMLTextAreaElement
    assert.match(field.value, /^sotto:\/\/invite\/[A-Za-z0-9_-]+$/)
    assert.equal(field.readOnly, true)
    assert.equal(screen.queryByLabelText('Invite link'), null)
    assert.ok(screen.getByText(/No relay holds a short link/))
    const qr = screen.getByRole('img', { name: 'QR code of your invite link' })
    assert.equal(qr.tagName.toLowerCase(), 'svg')
    assert.equal(qr.querySelector('path')?.getAttribute('d'), qrPath(field.value.replace(/^sotto:\/\/invite\//, 'SOTTO://INVITE/')))

    await h.user.click(screen.getByRole('button', { name: 'Copy long invite link' }))
    await waitFor(() => { assert.match(screen.getByRole('status').textContent ?? '', /Copied|Selected/) })
    if (screen.getByRole('status').textContent === 'Copied') {
      assert.equal(await navigator.clipboard.readText(), field.value)
    }
  })

  it('with a relay: the short link and its QR code first, the long link under a disclosure; New link revokes the old one', async () => {
    h = await renderApp({ initialView: { kind: 'invite' }, seed: m => { void m.addRelay(RELAY) } })
    const field = await screen.findByLabelText('Invite link') as HTMLTextAreaElement
    const first = field.value
    assert.match(first, /^sotto:\/\/s\/[A-Za-z0-9_-]+#[A-Za-z0-9_-]+$/)
    const qr = screen.getByRole('img', { name: 'QR code of your invite link' })
    assert.equal(qr.querySelector('path')?.getAttribute('d'), qrPath(first), 'the QR code is of the short link')
    const details = screen.getByText(/^Long link/).closest('details')!
    assert.equal(details.open, false, 'the long link is folded away')
    assert.match((within(details).getByLabelText('Long invite link') as HTMLTextAreaElement).value, /^sotto:\/\/invite\//)

    await h.user.click(screen.getByRole('button', { name: 'New link' }))
    await waitFor(() => { assert.notEqual((screen.getByLabelText('Invite link') as HTMLTextAreaElement).value, first) })
    assert.deepEqual(h.calls.filter(c => c === 'renewInvite'), ['renewInvite'])
    const second = (screen.getByLabelText('Invite link') as HTMLTextAreaElement).value
    assert.equal(screen.getByRole('img', { name: 'QR code of your invite link' }).querySelector('path')?.getAttribute('d'), qrPath(second))
    // The old link is dead for whoever holds it; the new one works.
    assert.equal(readCard(second).name, 'Ada')
    assert.throws(() => readCard(first), { name: 'InviteLinkRevokedError' })
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

  it('asks "Add Carol?" before adding, and adds nothing when the user cancels', async () => {
    h = await renderApp()
    await screen.findByRole('navigation', { name: 'Sotto' })
    assert.equal(h.service.offerLink(`sotto://invite/${card}`), true)
    const dialog = await screen.findByRole('dialog', { name: 'Add Carol?' })
    assert.equal(h.calls.includes('addContact'), false, 'nothing is added without the user')
    await h.user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    assert.equal(screen.queryByRole('dialog'), null)
    assert.deepEqual(await h.messenger().contacts(), [])
    assert.equal(h.calls.includes('addContact'), false)

    const short = storeShortLink(`sotto://invite/${card}`)
    assert.equal(h.service.offerLink(short), true, 'a short link is an invite too')
    await h.user.click(within(await screen.findByRole('dialog', { name: 'Add Carol?' })).getByRole('button', { name: 'Add Carol' }))
    assert.ok(await screen.findByRole('heading', { level: 2, name: 'Carol' }))
    assert.deepEqual((await h.messenger().contacts()).map(c => c.displayName), ['Carol'])
  })

  it('is kept for the window when it arrives before the window shows, and refused when not an invite', async () => {
    h = await renderApp({
      prepare: service => {
        assert.equal(service.offerLink('https://example.org/'), false)
        assert.equal(service.offerLink(`sotto://invite/${card}`), true)
      }
    })
    assert.ok(await screen.findByRole('dialog', { name: 'Add Carol?' }))
    assert.equal((screen.getByLabelText('Their invite link') as HTMLTextAreaElement).value, `sotto://invite/${card}`)
    assert.deepEqual(await h.service.dispatch('pendingInvite', undefined), { ok: true, value: { invite: null } }, 'taken once')
  })
})

describe('reading an invite from a QR code', () => {
  let h: Harness
  afterEach(async () => { await h.close() })
  const card = Buffer.from(JSON.stringify({ name: 'Dora', userId: 'dora' })).toString('base64url')
  const png = async (text: string): Promise<File> => new File([new Uint8Array(await qrPng(text))], 'qr.png', { type: 'image/png' })

  it('from an image file: asks "Add Dora?" and adds once confirmed; an image without a code is refused', async () => {
    h = await renderApp({ initialView: { kind: 'add' } })
    const input = await screen.findByLabelText('QR code image of the invite')
    await h.user.upload(input, new File([new Uint8Array([137, 80, 78, 71])], 'broken.png', { type: 'image/png' }))
    assert.match((await screen.findByRole('alert')).textContent ?? '', /No QR code could be read/)
    await h.user.upload(input, await png(storeShortLink(`sotto://invite/${card}`)))
    const dialog = await screen.findByRole('dialog', { name: 'Add Dora?' })
    assert.equal(h.calls.includes('addContact'), false)
    await h.user.click(within(dialog).getByRole('button', { name: 'Add Dora' }))
    assert.ok(await screen.findByRole('heading', { level: 2, name: 'Dora' }))
  })

  it('from a pasted screenshot, wherever the focus is', async () => {
    h = await renderApp({ initialView: { kind: 'add' } })
    await h.user.click(await screen.findByLabelText('Name for them (optional)'))
    const clipboard = new DataTransfer()
    clipboard.items.add(await png(`sotto://invite/${card}`))
    await h.user.paste(clipboard)
    assert.ok(await screen.findByRole('dialog', { name: 'Add Dora?' }))
    assert.equal((screen.getByLabelText('Name for them (optional)') as HTMLInputElement).value, '', 'the image is not pasted as text')
  })
})
