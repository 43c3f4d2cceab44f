// SPDX-License-Identifier: AGPL-3.0-only
import '../fixtures/dom.js'
import assert from 'node:assert/strict'
import { stat } from 'node:fs/promises'
import { after, afterEach, before, describe, it } from 'node:test'
import { screen, within } from '@testing-library/react'
import { createMessenger } from '@sotto/core'
import { renderApp } from '../fixtures/app-harness.js'
import { memoryKeyVault, tempDir } from '../fixtures/helpers.js'
import type { Harness } from '../fixtures/app-harness.js'

const RECOVERY = 'the recovery passphrase'


describe('moving to a new computer', () => {
  let h: Harness
  let backup: Uint8Array
  let made: { dir: string, cleanup: () => Promise<void> }
  before(async () => {
    // A real backup, made by core's messenger.
    made = await tempDir()
    const m = await createMessenger({ dataDir: made.dir, keySource: { kind: 'passphrase', passphrase: 'pass of Ada' }, name: 'Ada', listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, scryptLogN: 10 })
    backup = await m.exportBackup({ passphrase: RECOVERY, scryptLogN: 10 })
    await m.stop()
  })
  after(async () => { await made.cleanup() })
  afterEach(async () => { await h.close() })

  it('Settings exports a backup with a repeated recovery passphrase', async () => {
    h = await renderApp({ initialView: { kind: 'settings' } })
    const form = await screen.findByRole('form', { name: 'Export a backup' })
    assert.equal((within(form).getByRole('checkbox', { name: 'Include the messages' }) as HTMLInputElement).checked, true)
    await h.user.type(within(form).getByLabelText('Recovery passphrase'), RECOVERY)
    await h.user.type(within(form).getByLabelText('Repeat the recovery passphrase'), 'something else')
    await h.user.click(within(form).getByRole('button', { name: 'Export a backup' }))
    assert.equal(within(form).getByRole('alert').textContent, 'The recovery passphrases differ')
    await h.user.clear(within(form).getByLabelText('Repeat the recovery passphrase'))
    await h.user.type(within(form).getByLabelText('Repeat the recovery passphrase'), RECOVERY)
    await h.user.click(within(form).getByRole('checkbox', { name: 'Include the messages' }))
    await h.user.click(within(form).getByRole('button', { name: 'Export a backup' }))
    const saved = await within(form).findByRole('status')
    const file = (saved.textContent ?? '').replace('The backup was saved to ', '')
    assert.ok((await stat(file)).size > 0)
  })

  it('onboarding restores a backup; a wrong recovery passphrase is named and nothing is set up', async () => {
    h = await renderApp({ ready: false, service: { passphrase: undefined, keyVault: memoryKeyVault(), messengerOptions: { scryptLogN: 10 } } })
    await h.user.click(await screen.findByRole('button', { name: 'Restore from a backup' }))
    const form = await screen.findByRole('form', { name: 'Restore from a backup' })
    await h.user.click(within(form).getByRole('button', { name: 'Restore' }))
    assert.equal(within(form).getByRole('alert').textContent, 'Choose the backup file')
    await h.user.upload(within(form).getByLabelText('Backup file'), new File([backup as Uint8Array<ArrayBuffer>], 'ada.sotto-backup'))
    await h.user.type(within(form).getByLabelText('Recovery passphrase'), 'not the recovery passphrase')
    await h.user.click(within(form).getByRole('button', { name: 'Restore' }))
    assert.match((await within(form).findByRole('alert')).textContent ?? '', /recovery passphrase does not open this backup/)
    assert.equal(h.service.status().phase, 'setup')

    await h.user.clear(within(form).getByLabelText('Recovery passphrase'))
    await h.user.type(within(form).getByLabelText('Recovery passphrase'), RECOVERY)
    await h.user.click(within(form).getByRole('button', { name: 'Restore' }))
    await screen.findByRole('navigation', { name: 'Sotto' })
    assert.equal(h.service.status().phase, 'ready')
    // The store restored, opened here by the memory messenger with the keychain's key.
    assert.equal(h.messenger().options.keySource.kind, 'host-key')
  })
})

describe('a replaced installation', () => {
  let h: Harness
  afterEach(async () => { await h.close() })

  it('says so on every screen once a restore elsewhere replaced it', async () => {
    h = await renderApp()
    await screen.findByRole('navigation', { name: 'Sotto' })
    assert.equal(screen.queryByText(/restored from a backup on another computer/), null)
    h.messenger().replaceBy(2)
    assert.match((await screen.findByText(/restored from a backup on another computer/)).textContent ?? '', /nothing is sent from here any more/)
    assert.equal(h.service.status().replaced, true)
  })
})
