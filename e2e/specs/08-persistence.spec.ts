// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Journey 8, persistence and restart: after a restart, history, contacts, settings and unread
 * counts are all there; a wrong passphrase gets a clear error and changes nothing.
 */
import { createHash } from 'node:crypto'
import { cp, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { docScreenshot, introduce, setUp } from '../fixtures/flows.ts'
import { expect, test } from '../fixtures/index.ts'
import { Screens } from '../fixtures/screens.ts'
import { sottoContacts, sottoHistory } from '../fixtures/sotto-cli.ts'

/** A copy of a data directory, to read later with `sotto` without touching the original. */
async function copyOf (dir: string, to: string): Promise<string> {
  await cp(dir, to, { recursive: true })
  return join(to, 'messenger')
}

/** What `sotto` reads from a data directory: contacts, and the history with one of them. */
async function contentOf (messengerDir: string, passphrase: string, contactId: string): Promise<unknown> {
  return {
    contacts: await sottoContacts(messengerDir, passphrase),
    history: await sottoHistory(messengerDir, passphrase, contactId)
  }
}

const hashOf = async (file: string): Promise<string> => createHash('sha256').update(await readFile(file)).digest('hex')

test('history, contacts, settings and unread counts survive a restart; a wrong passphrase changes nothing', async ({ sotto }) => {
  // Alice's passphrase is not in the environment: each start asks for it.
  const alice = await sotto.app('Alice', { passphraseFromEnv: false })
  const bob = await sotto.app('Bob')
  await Promise.all([setUp(alice, 'Alice'), setUp(bob, 'Bob')])
  const { aKnowsB } = await introduce(alice, bob)
  const a = new Screens(await alice.open())
  const b = new Screens(await bob.open())

  // A conversation; three of Bob's messages arrive while Alice is in her settings.
  await a.openChat('Bob')
  await b.openChat('Alice')
  const earlier = ['Are we still on for Saturday?', 'Yes! Ten o\'clock.']
  await a.chat.send(earlier[0]!)
  await expect(b.chat.message(earlier[0]!)).toBeVisible()
  await b.chat.send(earlier[1]!)
  await expect(a.chat.message(earlier[1]!)).toBeVisible()
  await a.shell.go('Settings')
  await a.settings.theme('Dark').check()
  await a.settings.readReceipts.check()
  await a.settings.notificationPreview.selectOption('name')
  await a.settings.exclude('XX')
  await expect(a.page.locator('html')).toHaveAttribute('data-theme', 'dark')
  const unread = ['I will bring the tent.', 'And the stove.', 'You bring the map?']
  for (const text of unread) await b.chat.send(text)
  for (const text of unread) await expect(b.chat.state(text)).toHaveText(/Delivered/)
  await a.shell.go('Chats')
  await expect(a.shell.unreadBadge('Bob')).toHaveText('3')

  // Restarted, Alice's app asks for her passphrase. A wrong one is refused, clearly, and the data
  // directory is left exactly as it was.
  await alice.restart()
  await expect(a.unlock.heading).toBeVisible()
  await docScreenshot(a.page, '10-unlock')
  const settingsFile = await hashOf(join(alice.dataDir, 'desktop.json'))
  const before = await copyOf(alice.dataDir, join(sotto.dir, 'before-wrong-passphrase'))
  await a.unlock.unlockWith('not the passphrase at all')
  await expect(a.unlock.error).toBeVisible()
  await expect(a.unlock.error).toContainText(/passphrase/i)
  await expect(a.unlock.heading).toBeVisible()
  await expect(a.unlock.passphrase).toHaveValue('')
  // Nothing changed: the app's own file byte for byte, and the database's content as another
  // program reads it (its files are LevelDB's to rewrite on every open).
  const after = await copyOf(alice.dataDir, join(sotto.dir, 'after-wrong-passphrase'))
  expect(await hashOf(join(alice.dataDir, 'desktop.json'))).toBe(settingsFile)
  // One at a time: each copy remembers the same listen port.
  const was = await contentOf(before, alice.passphrase, aKnowsB.id)
  const is = await contentOf(after, alice.passphrase, aKnowsB.id)
  expect(is).toEqual(was)
  expect((was as { history: unknown[] }).history).toHaveLength(earlier.length + unread.length)

  // The right one opens everything as it was.
  await a.unlock.unlockWith(alice.passphrase)
  await a.shell.waitReady()
  await expect(a.page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await expect(a.shell.unreadBadge('Bob')).toHaveText('3')
  await a.shell.go('Settings')
  await expect(a.settings.theme('Dark')).toBeChecked()
  await expect(a.settings.readReceipts).toBeChecked()
  await expect(a.settings.notificationPreview).toHaveValue('name')
  await expect(a.settings.excluded.getByRole('listitem')).toHaveText([/XX/])
  await a.openChat('Bob')
  await expect(a.chat.message(unread[2]!)).toBeVisible()
  expect(await a.chat.renderedTexts()).toEqual([...earlier, ...unread])
  await expect(a.shell.unreadBadge('Bob')).toHaveCount(0)
  await docScreenshot(a.page, '09-chat-dark')

  // Bob's side too, and the conversation goes on after both restarts.
  await bob.restart()
  await b.shell.waitReady()
  await b.openChat('Alice')
  expect(await b.chat.renderedTexts()).toEqual([...earlier, ...unread])
  await b.chat.send('Map is packed.')
  await expect(a.chat.message('Map is packed.')).toBeVisible()
  await expect(b.chat.state('Map is packed.')).toHaveText(/Delivered/)
})
