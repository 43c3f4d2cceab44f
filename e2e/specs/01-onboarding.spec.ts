// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Journey 1, onboarding: a new user creates a profile, picks relays (sees operator and
 * jurisdiction), and sees their invite link and QR code. And the relays screen: relays listed
 * with what they publish, added, removed, and refused when in an excluded jurisdiction.
 */
import { docScreenshot, setUp } from '../fixtures/flows.ts'
import { expect, test } from '../fixtures/index.ts'
import { readQrCode } from '../fixtures/qr.ts'
import { Screens } from '../fixtures/screens.ts'

test('a new user creates a profile with a relay and gets an invite link and QR code', async ({ sotto }) => {
  const relay = await sotto.relay({ operator: 'Sotto E2E Community', jurisdiction: 'DE' })
  // No passphrase in the environment: the page asks for one, as on a machine without a keychain.
  const alice = await sotto.app('Alice', { relays: [relay.address], passphraseFromEnv: false })
  const ui = new Screens(await alice.open())

  await expect(ui.onboarding.relays).toHaveCount(1)
  await expect(ui.onboarding.relayChoice(relay.address)).toBeChecked()
  // Before she picks it, the relay says who runs it and where.
  await expect(ui.onboarding.relays.first()).toContainText('Sotto E2E Community')
  await expect(ui.onboarding.relays.first()).toContainText('Jurisdiction DE')
  await ui.onboarding.name.fill('Alice')
  await ui.onboarding.passphrase.fill(alice.passphrase)
  await ui.onboarding.repeatPassphrase.fill(`${alice.passphrase} typo`)
  await docScreenshot(ui.page, '01-onboarding')
  await ui.onboarding.create.click()
  await expect(ui.onboarding.error).toHaveText('The passphrases differ')
  await ui.onboarding.repeatPassphrase.fill(alice.passphrase)
  await ui.onboarding.create.click()

  // Online means the relay holds a reservation for Alice.
  await ui.shell.waitReady()
  await expect(ui.shell.onlineState).toHaveText('Online', { timeout: 30_000 })

  // The relay she picked, with what it publishes about itself.
  await ui.shell.go('Settings')
  const entry = ui.settings.relays.filter({ hasText: relay.address })
  await expect(entry).toContainText('Sotto E2E Community')
  await expect(entry).toContainText('Jurisdiction DE')
  await expect(entry).toContainText('Connected: holds your messages, and contacts reach you through it')

  // Her invite: a short link held sealed at her relay, its QR code a camera can read, and the
  // long link (which needs no relay) folded away.
  await ui.shell.go('My invite')
  const scanned = await readQrCode(ui.invite.qrCode)
  expect(scanned).toMatch(/^sotto:\/\/s\/[A-Za-z0-9_-]+#[A-Za-z0-9_-]+$/)
  expect(await ui.invite.readLink()).toBe(scanned)
  const link = await ui.invite.readLongLink()
  expect(link).toMatch(/^sotto:\/\/invite\/[A-Za-z0-9_-]+$/)
  await docScreenshot(ui.page, '02-invite')

  // Both work: Bob adds her from what his camera read, Carol from the link; both land in her requests.
  const [bob, carol] = await Promise.all([sotto.app('Bob'), sotto.app('Carol')])
  await Promise.all([setUp(bob, 'Bob'), setUp(carol, 'Carol')])
  await bob.api.call('addContact', { invite: scanned! })
  await carol.api.call('addContact', { invite: link })
  await ui.shell.go('Requests')
  await expect(ui.requests.request('Bob')).toBeVisible()
  await expect(ui.requests.request('Carol')).toBeVisible()

  // Nothing of it is left to chance: after a restart she unlocks with her passphrase and finds it all.
  await alice.restart()
  await ui.unlock.unlockWith(alice.passphrase)
  await ui.shell.waitReady()
  await ui.shell.go('Settings')
  await expect(ui.settings.relays.filter({ hasText: relay.address })).toContainText('Jurisdiction DE')
})

test('the relays screen lists, adds and removes relays, and refuses excluded jurisdictions', async ({ sotto }) => {
  const relay = await sotto.relay({ operator: 'Sotto E2E Community', jurisdiction: 'DE' })
  const alice = await sotto.app('Alice')
  await setUp(alice, 'Alice')
  const ui = new Screens(await alice.open())
  await ui.shell.go('Settings')
  await expect(ui.page.getByText('No relays: messages travel only directly.')).toBeVisible()

  // Germany excluded: the relay says it is there, so it is refused, with the reason.
  await ui.settings.exclude('DE')
  await ui.settings.relayInput.fill(relay.address)
  await ui.settings.addRelayButton.click()
  await expect(ui.settings.error).toContainText('a jurisdiction you excluded')
  await expect(ui.settings.relays).toHaveCount(0)

  // Allowed again: added, with its operator and jurisdiction.
  await ui.page.getByRole('button', { name: 'Allow DE again' }).click()
  await expect(ui.settings.excluded.getByRole('listitem')).toHaveCount(0)
  await ui.settings.relayInput.fill(relay.address)
  await ui.settings.addRelayButton.click()
  const entry = ui.settings.relays.filter({ hasText: relay.address })
  await expect(entry).toContainText('Sotto E2E Community')
  await expect(entry).toContainText('Jurisdiction DE')
  await expect(ui.shell.onlineState).toHaveText('Online')
  await ui.settings.exclude('XX')
  await docScreenshot(ui.page, '08-settings')

  // Removed: gone from the list, and still gone after a restart.
  await entry.getByRole('button', { name: `Remove relay ${relay.address}` }).click()
  await expect(ui.settings.relays).toHaveCount(0)
  await alice.restart()
  await ui.shell.waitReady()
  await ui.shell.go('Settings')
  await expect(ui.page.getByText('No relays: messages travel only directly.')).toBeVisible()
})
