// SPDX-License-Identifier: AGPL-3.0-only
import '../fixtures/dom.js'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { afterEach, describe, it } from 'node:test'
import { screen, within } from '@testing-library/react'
import { safeStorageKeyVault } from '../../src/main/key-vault.js'
import { renderApp } from '../fixtures/app-harness.js'
import { FakeSafeStorage } from '../fixtures/fake-electron.js'
import { tempDir } from '../fixtures/helpers.js'
import type { Harness } from '../fixtures/app-harness.js'

const OLD = 'the first passphrase'
const NEW = 'the second passphrase'

describe('settings: the passphrase', () => {
  let h: Harness
  let removeKeyDir: () => Promise<void>
  afterEach(async () => {
    await h.close()
    await removeKeyDir()
  })

  async function render (): Promise<Harness> {
    const { dir, cleanup } = await tempDir()
    removeKeyDir = cleanup
    const keyVault = safeStorageKeyVault({ safeStorage: new FakeSafeStorage(), file: join(dir, 'storage-key.bin'), platform: 'linux' })
    return await renderApp({ initialView: { kind: 'settings' }, service: { passphrase: undefined, keyVault }, setupPassphrase: OLD })
  }

  async function fill (form: HTMLElement, values: Record<string, string>): Promise<void> {
    for (const [label, text] of Object.entries(values)) {
      const input = within(form).getByLabelText(label)
      await h.user.clear(input)
      await h.user.type(input, text)
    }
  }

  it('refuses a wrong current passphrase and differing new ones, then changes it', async () => {
    h = await render()
    const form = await screen.findByRole('form', { name: 'Change the passphrase' })
    await fill(form, { 'Current passphrase': OLD, 'New passphrase': NEW, 'Repeat the new passphrase': `${NEW}!` })
    h.calls.length = 0
    await h.user.click(within(form).getByRole('button', { name: 'Change the passphrase' }))
    assert.equal(within(form).getByRole('alert').textContent, 'The new passphrases differ')
    assert.deepEqual(h.calls.filter(c => c === 'changeKeySource'), [], 'nothing was asked of the main side')

    await fill(form, { 'Current passphrase': 'not the passphrase', 'New passphrase': NEW, 'Repeat the new passphrase': NEW })
    await h.user.click(within(form).getByRole('button', { name: 'Change the passphrase' }))
    assert.match((await within(form).findByRole('alert')).textContent ?? '', /does not open/)

    await fill(form, { 'Current passphrase': OLD })
    await h.user.click(within(form).getByRole('button', { name: 'Change the passphrase' }))
    await screen.findByText('The passphrase was changed.')
    const again = await h.service.dispatch('changeKeySource', { current: OLD, passphrase: 'a third passphrase' })
    assert.equal(again.ok ? 'ok' : again.error.name, 'WrongPassphraseError', 'the old passphrase no longer opens it')
  })

  it('moves the key into the keychain, then offers only a new passphrase', async () => {
    h = await render()
    const form = await screen.findByRole('form', { name: 'Use the system keychain' })
    await fill(form, { 'Current passphrase': OLD })
    await h.user.click(within(form).getByRole('button', { name: 'Keep the key in the system keychain instead' }))
    await screen.findByText('The key is now kept in the system keychain.')
    assert.equal(screen.queryByRole('form', { name: 'Use the system keychain' }), null)
    const back = screen.getByRole('form', { name: 'Use a passphrase instead of the keychain' })
    assert.equal(within(back).queryByLabelText('Current passphrase'), null)
    await fill(back, { 'New passphrase': NEW, 'Repeat the new passphrase': NEW })
    await h.user.click(within(back).getByRole('button', { name: 'Use this passphrase' }))
    await screen.findByText('The passphrase was changed.')
    await screen.findByRole('form', { name: 'Change the passphrase' })
  })
})
