// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The settings screen's "Hide my IP address" switch: it says what hiding costs and what it does not
 * hide, and saves the messenger's `hideIp` setting.
 */
import '../fixtures/dom.js'
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { screen, waitFor } from '@testing-library/react'
import { renderApp } from '../fixtures/app-harness.js'
import type { Harness } from '../fixtures/app-harness.js'

describe('settings screen: hiding the IP address', () => {
  let h: Harness
  afterEach(async () => { await h.close() })

  it('hides the IP address on request, saying what it costs and what it does not hide', async () => {
    h = await renderApp({ initialView: { kind: 'settings' } })
    const hide = await screen.findByRole('checkbox', { name: 'Hide my IP address from contacts' }) as HTMLInputElement
    assert.equal(hide.checked, false)
    const explained = screen.getByText(/Your own relays still see your IP address/)
    assert.match(explained.textContent ?? '', /detour through a\s+relay/)
    assert.match(explained.textContent ?? '', /relays carry more traffic/)
    await h.user.click(hide)
    await waitFor(async () => { assert.equal((await h.messenger().settings()).hideIp, true) })
    await waitFor(() => { assert.equal((screen.getByRole('checkbox', { name: 'Hide my IP address from contacts' }) as HTMLInputElement).checked, true) })
  })
})
