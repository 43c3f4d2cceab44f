// SPDX-License-Identifier: AGPL-3.0-only
import '../fixtures/dom.js'
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { screen, waitFor, within } from '@testing-library/react'
import { qrPng } from '@sotto/core/links'
import { renderApp } from '../fixtures/app-harness.js'
import { memoryKeyVault } from '../fixtures/helpers.js'
import type { Harness } from '../fixtures/app-harness.js'

const RELAY = '/dns4/relay.example.org/tcp/4001/p2p/12D3KooWRelayRelayRelayRelayRelayRelayRelayRelay'
const LINKED_ADDR = '/ip4/192.0.2.7/tcp/4001/p2p/12D3KooWGE8Fj24EPMF35MWsCNBfqiHpC5aGRRKjyQKQyzR9HbQi'
const LINKED = `sotto://relay${LINKED_ADDR}`


describe('onboarding screen', () => {
  let h: Harness
  afterEach(async () => { await h.close() })

  it('creates an identity with the keychain, keyboard only, with the chosen relays', async () => {
    h = await renderApp({ ready: false, service: { passphrase: undefined, keyVault: memoryKeyVault(), defaultRelays: [{ address: RELAY, operator: 'Example Collective', jurisdiction: 'IS' }] } })
    assert.ok(await screen.findByRole('heading', { name: 'Welcome to Sotto' }))
    assert.ok(screen.getByText('Example Collective'))
    assert.ok(screen.getByText('Jurisdiction IS'))
    assert.equal((screen.getByRole('checkbox', { name: /Example Collective/ }) as HTMLInputElement).checked, true)

    await h.user.tab()
    assert.equal(document.activeElement, screen.getByLabelText('Your name'))
    await h.user.keyboard('Ada{Enter}')
    assert.ok(await screen.findByRole('navigation', { name: 'Sotto' }))
    assert.equal(h.service.status().identity?.name, 'Ada')
    assert.deepEqual(h.messenger().options.relays, [RELAY])
    assert.equal(h.messenger().options.keySource.kind, 'host-key')
  })

  it('asks for a passphrase where there is no keychain and checks it is repeated', async () => {
    h = await renderApp({ ready: false, service: { passphrase: undefined } })
    await screen.findByRole('heading', { name: 'Welcome to Sotto' })
    assert.ok(screen.getByText(/no keychain/))
    await h.user.type(screen.getByLabelText('Your name'), 'Ada')
    await h.user.type(screen.getByLabelText('Passphrase'), 'correct horse battery')
    await h.user.type(screen.getByLabelText('Repeat the passphrase'), 'correct horse batter')
    await h.user.click(screen.getByRole('button', { name: 'Create my identity' }))
    assert.equal((await screen.findByRole('alert')).textContent, 'The passphrases differ')
    assert.equal(h.service.status().phase, 'setup')
    await h.user.type(screen.getByLabelText('Repeat the passphrase'), 'y')
    await h.user.click(screen.getByRole('button', { name: 'Create my identity' }))
    await screen.findByRole('navigation', { name: 'Sotto' })
    assert.deepEqual(h.messenger().options.keySource, { kind: 'passphrase', passphrase: 'correct horse battery' })
  })

  it('adds an own relay, under Advanced, only when it is a relay address', async () => {
    h = await renderApp({ ready: false })
    await screen.findByRole('heading', { name: 'Welcome to Sotto' })
    assert.ok(screen.getByText(/comes from the environment/))
    await h.user.click(screen.getByText('Advanced: add a relay by its address'))
    await h.user.type(screen.getByLabelText('Add my own relay'), 'javascript:alert(1)')
    await h.user.click(screen.getByRole('button', { name: 'Add relay' }))
    assert.match((await screen.findByRole('alert')).textContent ?? '', /multiaddr/)
    await h.user.clear(screen.getByLabelText('Add my own relay'))
    await h.user.type(screen.getByLabelText('Add my own relay'), RELAY)
    await h.user.click(screen.getByRole('button', { name: 'Add relay' }))
    assert.ok(screen.getByRole('button', { name: `Remove relay ${RELAY}` }))
    await h.user.type(screen.getByLabelText('Your name'), 'Ada')
    await h.user.click(screen.getByRole('button', { name: 'Create my identity' }))
    await screen.findByRole('navigation', { name: 'Sotto' })
    await waitFor(() => { assert.deepEqual(h.messenger().options.relays, [RELAY]) })
  })
})

describe('onboarding with relay links and invites', () => {
  let h: Harness
  afterEach(async () => { await h.close() })

  it('reads a pasted relay link: the relay\'s own word over the link\'s, and a join code when it is invite-only', async () => {
    const asked: string[] = []
    h = await renderApp({
      ready: false,
      service: {
        fetchRelayInfo: async address => {
          asked.push(address)
          return { operator: 'Hackerspace Amsterdam', contact: 'mailto:ops@example.org', jurisdiction: 'NL', retentionSeconds: 1209600, inviteOnly: true }
        }
      }
    })
    await screen.findByRole('heading', { name: 'Welcome to Sotto' })
    assert.ok(screen.getByRole('note').textContent?.includes('Without a relay'), 'no relay: what it costs is said')
    // Typed by hand, it waits for Add: a link half typed is not read.
    await h.user.type(screen.getByLabelText('Relay link'), LINKED.slice(0, -3))
    assert.deepEqual(asked, [])
    await h.user.clear(screen.getByLabelText('Relay link'))
    await h.user.click(screen.getByLabelText('Relay link'))
    await h.user.paste(`${LINKED}?operator=Claimed&jurisdiction=US`)
    const list = screen.getByRole('list', { name: 'Chosen and offered relays' })
    assert.ok(await within(list).findByText('Hackerspace Amsterdam'))
    assert.ok(within(list).getByText('Jurisdiction NL'))
    assert.equal(within(list).queryByText('Claimed'), null, 'what the relay publishes wins over what its link claims')
    assert.ok(within(list).getByText('Invite only'))
    assert.deepEqual(asked, [LINKED_ADDR])
    assert.equal(screen.queryByRole('note'), null)
    assert.match(screen.getByText(/two relays in different countries/).textContent ?? '', /still wait for you/)

    await h.user.type(screen.getByLabelText('Your name'), 'Ada')
    await h.user.click(screen.getByRole('button', { name: 'Create my identity' }))
    assert.match((await screen.findByRole('alert')).textContent ?? '', /join code of Hackerspace Amsterdam/)
    assert.equal(h.service.status().phase, 'setup')
    await h.user.type(screen.getByLabelText('Join code for Hackerspace Amsterdam'), 'wrong-code')
    await h.user.click(screen.getByRole('button', { name: 'Create my identity' }))
    assert.match((await screen.findByRole('alert')).textContent ?? '', /refused this join code/)
    // The form is as she left it: only the code needs another try.
    assert.equal((screen.getByLabelText('Your name') as HTMLInputElement).value, 'Ada')
    assert.ok(within(screen.getByRole('list', { name: 'Chosen and offered relays' })).getByText('Hackerspace Amsterdam'))
    await h.user.clear(screen.getByLabelText('Join code for Hackerspace Amsterdam'))
    await h.user.type(screen.getByLabelText('Join code for Hackerspace Amsterdam'), 'poster-42')
    await h.user.click(screen.getByRole('button', { name: 'Create my identity' }))
    await screen.findByRole('navigation', { name: 'Sotto' })
    // The messenger joins with the code: core's relay link carries it.
    assert.deepEqual(h.messenger().options.relays, [`sotto://relay${LINKED_ADDR}?code=poster-42`])
  })

  it('reads a relay link from the QR code of a poster', async () => {
    h = await renderApp({ ready: false, service: { fetchRelayInfo: async () => ({ operator: 'Poster Relay', contact: '', jurisdiction: 'FR', retentionSeconds: 1 }) } })
    const png = new Uint8Array(await qrPng(`${LINKED}?operator=Poster+Relay`))
    await h.user.upload(await screen.findByLabelText('QR code image of the relay link'), new File([png], 'poster.png', { type: 'image/png' }))
    const list = screen.getByRole('list', { name: 'Chosen and offered relays' })
    assert.ok(await within(list).findByText('Poster Relay'))
    assert.ok(within(list).getByText('Open to new users'))
    await h.user.type(screen.getByLabelText('Your name'), 'Ada')
    await h.user.click(screen.getByRole('button', { name: 'Create my identity' }))
    await screen.findByRole('navigation', { name: 'Sotto' })
    assert.deepEqual(h.messenger().options.relays, [LINKED_ADDR])
  })

  it('chooses the relays of whoever invited the user that accept newcomers, and adds the inviter with Create', async () => {
    const OPEN = '/ip4/192.0.2.8/tcp/4001/p2p/12D3KooWOpenOpenOpenOpenOpenOpenOpenOpenOpenOpen'
    const CLOSED = '/ip4/192.0.2.9/tcp/4001/p2p/12D3KooWShutShutShutShutShutShutShutShutShutShut'
    const published = new Map([[OPEN, { operator: 'Open Collective', jurisdiction: 'IS' }], [CLOSED, { operator: 'Closed Club', jurisdiction: 'CH', inviteOnly: true }]])
    const card = Buffer.from(JSON.stringify({ name: 'Carol', userId: 'carol', relays: [OPEN, CLOSED] })).toString('base64url')
    h = await renderApp({
      ready: false,
      service: { fetchRelayInfo: async address => ({ retentionSeconds: 1, contact: '', ...published.get(address)! }) },
      prepare: service => { assert.equal(service.offerLink(`sotto://invite/${card}`), true) }
    })
    // Who invited her is on screen before anything is created.
    assert.ok(await screen.findByRole('heading', { name: 'Carol invited you' }))
    const list = screen.getByRole('list', { name: 'Chosen and offered relays' })
    assert.ok(await within(list).findByText('Open Collective'))
    assert.equal(within(list).queryByText('Closed Club'), null, 'an invite-only relay of the inviter is not offered')
    assert.equal(screen.queryByRole('button', { name: /Use the relays/ }), null)
    // Removed, they can be chosen again in one click.
    await h.user.click(screen.getByRole('button', { name: `Remove relay ${OPEN}` }))
    await h.user.click(screen.getByRole('button', { name: 'Use the relays of the person who invited me (Carol)' }))
    assert.ok(within(list).getByText('Open Collective'))
    await h.user.type(screen.getByLabelText('Your name'), 'Ada')
    assert.equal(h.calls.includes('addContact'), false, 'nobody is added before Create')
    await h.user.click(screen.getByRole('button', { name: 'Create my identity and add Carol' }))
    // Create was the answer to "Add Carol?": her conversation opens, with no second question.
    assert.ok(await screen.findByRole('heading', { level: 2, name: 'Carol' }))
    assert.equal(screen.queryByRole('dialog'), null)
    assert.deepEqual(h.messenger().options.relays, [OPEN])
    assert.deepEqual((await h.messenger().contacts()).map(c => c.displayName), ['Carol'])
  })
})
