// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Journey 15, moving to a new computer: Alice exports a backup in Settings, restores it on a new
 * computer (a fresh data directory) from the onboarding screen, and carries on the conversation
 * with Bob there: her history is there, once; Bob sees the same safety number; the old computer
 * says it was replaced.
 */
import { introduce, setUp } from '../fixtures/flows.ts'
import { expect, test } from '../fixtures/index.ts'
import { Screens } from '../fixtures/screens.ts'

const RECOVERY = 'our summer recovery passphrase'

test('a backup restored on a new computer carries on the conversation', async ({ sotto }) => {
  const relay = await sotto.relay()
  const alice = await sotto.app('Alice')
  const bob = await sotto.app('Bob')
  await Promise.all([setUp(alice, 'Alice', [relay.address]), setUp(bob, 'Bob', [relay.address])])
  const { bKnowsA } = await introduce(alice, bob)
  const a = new Screens(await alice.open())
  const b = new Screens(await bob.open())
  await a.openChat('Bob')
  await b.openChat('Alice')
  const earlier = ['I am getting a new laptop.', 'Will you keep our messages?']
  await a.chat.send(earlier[0]!)
  await expect(b.chat.message(earlier[0]!)).toBeVisible()
  await b.chat.send(earlier[1]!)
  await expect(a.chat.message(earlier[1]!)).toBeVisible()
  const safetyNumber = (await bob.api.call('contact', { contactId: bKnowsA.id })).safetyNumber

  // On the old computer: Settings → Move to a new computer.
  await a.shell.go('Settings')
  const move = a.page.getByRole('form', { name: 'Export a backup' })
  await move.getByLabel('Recovery passphrase', { exact: true }).fill(RECOVERY)
  await move.getByLabel('Repeat the recovery passphrase').fill(RECOVERY)
  await expect(move.getByRole('checkbox', { name: 'Include the messages' })).toBeChecked()
  await move.getByRole('button', { name: 'Export a backup' }).click()
  const saved = await move.getByRole('status').textContent({ timeout: 30_000 })
  const file = (saved ?? '').replace('The backup was saved to ', '')

  // On the new computer: a fresh data directory, restored from the onboarding screen.
  const newAlice = await sotto.app('Alice on the new laptop')
  const n = new Screens(await newAlice.open())
  await n.page.getByRole('button', { name: 'Restore from a backup' }).click()
  const restore = n.page.getByRole('form', { name: 'Restore from a backup' })
  await restore.getByLabel('Backup file').setInputFiles(file)
  await restore.getByLabel('Recovery passphrase').fill('not the recovery passphrase')
  await restore.getByRole('button', { name: 'Restore', exact: true }).click()
  await expect(restore.getByRole('alert')).toContainText('recovery passphrase does not open this backup')
  await restore.getByLabel('Recovery passphrase').fill(RECOVERY)
  await restore.getByRole('button', { name: 'Restore', exact: true }).click()
  await n.shell.waitReady()

  // The old computer learns it was replaced, and says so.
  await expect(a.page.getByRole('alert').filter({ hasText: 'restored from a backup on another computer' })).toBeVisible({ timeout: 30_000 })

  // The conversation goes on from the new computer, with its history, each message once.
  await n.openChat('Bob')
  for (const text of earlier) await expect(n.chat.message(text)).toBeVisible()
  await b.chat.send('Welcome to your new laptop!')
  await expect(n.chat.message('Welcome to your new laptop!')).toBeVisible({ timeout: 30_000 })
  await n.chat.send('It all came across.')
  await expect(b.chat.message('It all came across.')).toBeVisible({ timeout: 30_000 })
  await expect(n.chat.state('It all came across.')).toHaveText(/Delivered/, { timeout: 30_000 })
  expect(await n.chat.renderedTexts()).toEqual([...earlier, 'Welcome to your new laptop!', 'It all came across.'])
  expect(await b.chat.renderedTexts()).toEqual([...earlier, 'Welcome to your new laptop!', 'It all came across.'])
  expect((await bob.api.call('contact', { contactId: bKnowsA.id })).safetyNumber).toBe(safetyNumber)
})
