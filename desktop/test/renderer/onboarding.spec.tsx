// SPDX-License-Identifier: AGPL-3.0-only
import '../fixtures/dom.js'
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { screen, waitFor } from '@testing-library/react'
import { renderApp } from '../fixtures/app-harness.js'
import { memoryKeyVault } from '../fixtures/helpers.js'
import type { Harness } from '../fixtures/app-harness.js'

const RELAY = '/dns4/relay.example.org/tcp/4001/p2p/12D3KooWRelayRelayRelayRelayRelayRelayRelayRelay'


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

  it('adds an own relay only when it is a relay address', async () => {
    h = await renderApp({ ready: false })
    await screen.findByRole('heading', { name: 'Welcome to Sotto' })
    assert.ok(screen.getByText(/comes from the environment/))
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
