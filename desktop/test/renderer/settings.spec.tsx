// SPDX-License-Identifier: AGPL-3.0-only
import '../fixtures/dom.js'
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { screen, waitFor, within } from '@testing-library/react'
import { renderApp } from '../fixtures/app-harness.js'
import type { Harness } from '../fixtures/app-harness.js'

const RELAY = '/ip4/192.0.2.7/tcp/4001/p2p/12D3KooWRelayRelayRelayRelayRelayRelayRelayRelay'

describe('settings screen', () => {
  let h: Harness
  afterEach(async () => { await h.close() })

  it('applies the theme, keyboard only', async () => {
    h = await renderApp({ initialView: { kind: 'settings' } })
    const system = await screen.findByRole('radio', { name: 'Same as the system' }) as HTMLInputElement
    assert.equal(system.checked, true)
    await waitFor(() => { assert.equal(document.documentElement.dataset.theme, 'system') })
    screen.getByRole('radio', { name: 'Dark' }).focus()
    await h.user.keyboard(' ')
    await waitFor(() => { assert.equal(document.documentElement.dataset.theme, 'dark') })
    assert.equal((screen.getByRole('radio', { name: 'Dark' }) as HTMLInputElement).checked, true)
    const settings = await h.service.dispatch('settings', undefined)
    assert.equal(settings.ok && (settings.value as { theme: string }).theme, 'dark')
  })

  it('offers staying online in the tray and starting at login only where the app can', async () => {
    h = await renderApp({ initialView: { kind: 'settings' } })
    await screen.findByRole('checkbox', { name: 'Notify me of new messages' })
    assert.equal(screen.queryByRole('group', { name: 'Staying online' }), null, 'not in headless mode')
    await h.close()

    h = await renderApp({ initialView: { kind: 'settings' }, service: { features: { tray: true, loginItem: true } } })
    const tray = await screen.findByRole('checkbox', { name: /Keep Sotto running in the tray/ }) as HTMLInputElement
    const login = screen.getByRole('checkbox', { name: 'Start Sotto when I log in' }) as HTMLInputElement
    assert.equal(tray.checked, true, 'on by default')
    assert.equal(login.checked, false, 'off by default')
    await h.user.click(tray)
    await h.user.click(login)
    await waitFor(async () => {
      const settings = await h.service.dispatch('settings', undefined)
      assert.deepEqual(settings.ok && { ...settings.value as object }, { ...(settings.ok ? settings.value as object : {}), closeToTray: false, startAtLogin: true })
    })
  })

  it('changes notifications, LAN discovery and read receipts', async () => {
    h = await renderApp({ initialView: { kind: 'settings' } })
    const notify = await screen.findByRole('checkbox', { name: 'Notify me of new messages' }) as HTMLInputElement
    assert.equal(notify.checked, true)
    const preview = screen.getByLabelText('Notifications show') as HTMLSelectElement
    assert.equal(preview.value, 'none')
    await h.user.selectOptions(preview, 'name')
    await waitFor(() => { assert.equal((screen.getByLabelText('Notifications show') as HTMLSelectElement).value, 'name') })
    await h.user.click(notify)
    await waitFor(() => { assert.equal((screen.getByLabelText('Notifications show') as HTMLSelectElement).disabled, true) })

    const lan = screen.getByRole('checkbox', { name: /LAN discovery/ }) as HTMLInputElement
    assert.equal(lan.checked, true)
    await h.user.click(lan)
    await waitFor(async () => { assert.equal((await h.messenger().settings()).mdns, false) })
    await h.user.click(screen.getByRole('checkbox', { name: 'Send read receipts' }))
    await waitFor(async () => { assert.equal((await h.messenger().settings()).readReceipts, true) })
    const typing = screen.getByRole('checkbox', { name: 'Send typing indicators' }) as HTMLInputElement
    assert.equal(typing.checked, false, 'off by default')
    await h.user.click(typing)
    await waitFor(async () => { assert.equal((await h.messenger().settings()).typingIndicators, true) })
  })

  it('sets the size up to which files from contacts download by themselves', async () => {
    h = await renderApp({ initialView: { kind: 'settings' } })
    const size = await screen.findByLabelText('Photos and files from contacts download by themselves') as HTMLSelectElement
    assert.equal(size.value, String(25 * 1024 * 1024), '25 MB by default')
    await h.user.selectOptions(size, 'None: I press Download')
    await waitFor(async () => { assert.equal((await h.messenger().settings()).autoDownloadBytes, 0) })
    await h.user.selectOptions(size, 'Up to 5 MB')
    await waitFor(async () => { assert.equal((await h.messenger().settings()).autoDownloadBytes, 5 * 1024 * 1024) })
    assert.equal((screen.getByLabelText('Photos and files from contacts download by themselves') as HTMLSelectElement).value, String(5 * 1024 * 1024))
  })

  it('saves every change, also one made while the one before is still being saved', async () => {
    h = await renderApp({ initialView: { kind: 'settings' } })
    const lan = await screen.findByRole('checkbox', { name: /LAN discovery/ })
    await h.user.click(lan)
    await h.user.click(screen.getByRole('checkbox', { name: 'Send read receipts' }))
    await h.user.click(screen.getByRole('checkbox', { name: 'Notify me of new messages' }))
    await waitFor(async () => {
      const saved = await h.messenger().settings()
      assert.deepEqual([saved.mdns, saved.readReceipts], [false, true])
    })
    await waitFor(() => { assert.equal((screen.getByRole('checkbox', { name: 'Notify me of new messages' }) as HTMLInputElement).checked, false) })
    assert.equal((screen.getByRole('checkbox', { name: 'Send read receipts' }) as HTMLInputElement).checked, true)
  })

  it('excludes jurisdictions and allows them again', async () => {
    h = await renderApp({ initialView: { kind: 'settings' } })
    const input = await screen.findByLabelText('Country code to exclude')
    await h.user.type(input, '1x{Enter}')
    assert.match((await screen.findByRole('alert')).textContent ?? '', /two-letter/)
    await h.user.clear(input)
    await h.user.type(input, 'de{Enter}')
    const chips = screen.getByRole('list', { name: 'Excluded jurisdictions' })
    await within(chips).findByText('DE')
    assert.deepEqual((await h.messenger().settings()).excludedJurisdictions, ['DE'])
    await h.user.click(within(chips).getByRole('button', { name: 'Allow DE again' }))
    await waitFor(async () => { assert.deepEqual((await h.messenger().settings()).excludedJurisdictions, []) })
  })

  it('lists relays with operator and jurisdiction, adds and removes them', async () => {
    h = await renderApp({ initialView: { kind: 'settings' } })
    await screen.findByText('No relays: messages travel only directly.')
    await h.user.type(screen.getByLabelText('Relay address'), `${RELAY}{Enter}`)
    const list = screen.getByRole('list', { name: 'Relays' })
    assert.ok(await within(list).findByText(RELAY))
    assert.ok(within(list).getByText('Unknown operator'))
    assert.ok(within(list).getByText('Jurisdiction not published'))
    await h.user.click(within(list).getByRole('button', { name: `Remove relay ${RELAY}` }))
    await screen.findByText('No relays: messages travel only directly.')
  })
})
