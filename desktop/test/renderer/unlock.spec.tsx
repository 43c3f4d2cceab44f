// SPDX-License-Identifier: AGPL-3.0-only
import '../fixtures/dom.js'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { afterEach, describe, it } from 'node:test'
import { cleanup, render, screen, waitFor } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { createDesktopService } from '../../src/main/desktop-service.js'
import { App } from '../../src/renderer/app.js'
import { createClient } from '../../src/renderer/client.js'
import { serviceBridge } from '../fixtures/app-harness.js'
import { tempDir } from '../fixtures/helpers.js'
import { memoryFactory } from '../fixtures/memory-messenger.js'

describe('unlock screen', () => {
  const closers: Array<() => Promise<void>> = []
  afterEach(async () => {
    cleanup()
    for (const close of closers.splice(0).reverse()) await close()
  })

  it('shows a wrong passphrase and opens with the right one', async () => {
    const { dir, cleanup: remove } = await tempDir()
    closers.push(remove)
    const { factory } = memoryFactory()
    const first = createDesktopService({ dataDir: join(dir, 'd'), createMessenger: factory })
    await first.start()
    const setup = await first.dispatch('setup', { name: 'Ada', relays: [], passphrase: 'correct horse battery' })
    assert.equal(setup.ok, true)
    await first.stop()

    const service = createDesktopService({ dataDir: join(dir, 'd'), createMessenger: factory })
    closers.push(() => service.stop())
    assert.equal((await service.start()).phase, 'locked')
    const user = userEvent.setup()
    render(<App client={createClient(serviceBridge(service))} />)
    await screen.findByRole('heading', { name: 'Sotto is locked' })
    const field = screen.getByLabelText('Passphrase')
    assert.equal(document.activeElement, field, 'the passphrase field has the focus')
    await user.keyboard('wrong passphrase{Enter}')
    assert.match((await screen.findByRole('alert')).textContent ?? '', /passphrase/i)
    await waitFor(() => { assert.equal((screen.getByLabelText('Passphrase') as HTMLInputElement).value, '', 'a wrong passphrase is cleared') })
    await user.type(screen.getByLabelText('Passphrase'), 'correct horse battery{Enter}')
    assert.ok(await screen.findByRole('navigation', { name: 'Sotto' }))
  })
})
