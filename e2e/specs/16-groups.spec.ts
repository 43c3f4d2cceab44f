// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Journey 16, groups: Alice makes a group of Bob and Carol, who are not each other's contacts; all
 * three talk and each sees the others' messages under their names, and a photo Bob shares shows at
 * the other two; Bob replies to Carol, both react (each reaction named by its member), Carol edits,
 * Alice deletes one for everyone, and each sees all of it; Alice sets a timer, which the others see
 * in the timeline; Bob and Carol compare safety numbers from the group info (which offers them no
 * Rename); Alice renames the group, which the others see, makes Bob an admin and removes Carol, who
 * is told and can no longer write, while Alice and Bob go on and nothing they write or react
 * reaches Carol's screen. axe checks the group chat and the group info.
 */
import { checkScreen } from '../fixtures/axe.ts'
import { fileRow, makeJpeg } from '../fixtures/files.ts'
import { docScreenshot, introduce, setUp } from '../fixtures/flows.ts'
import { expect, test } from '../fixtures/index.ts'
import { Screens } from '../fixtures/screens.ts'
import type { Locator } from '@playwright/test'

const GROUP = 'Book club'
const RENAMED = 'Reading circle'

/** A line of the group's timeline that is no message (a membership change, a timer). */
function systemLine (ui: Screens, text: string | RegExp): Locator {
  return ui.chat.log.locator('.system-line').filter({ hasText: text })
}

/** A message's action button (the actions show on hover or focus). */
async function action (message: Locator, name: string): Promise<void> {
  await message.hover()
  await message.getByRole('button', { name, exact: true }).click()
}

/** Reacts with `emoji` to the message showing `text` in `ui`'s open chat. */
async function react (ui: Screens, text: string, emoji: string): Promise<void> {
  const message = ui.chat.message(text)
  await action(message, 'React')
  await message.getByRole('button', { name: emoji }).click()
}

/** Sends `text` in the open group chat; each of `readers` then shows it under `sender`'s name. */
async function say (from: Screens, sender: string, text: string, readers: Screens[]): Promise<void> {
  await from.chat.send(text)
  for (const r of readers) await expect(r.chat.message(text).locator('.sender-name')).toHaveText(`${sender}: `)
}

/** Two members who are not each other's contacts read each other's safety number from the group info: the same number. */
async function compareSafetyNumbers (one: Screens, oneName: string, two: Screens, twoName: string): Promise<void> {
  const numbers: string[] = []
  for (const [ui, other] of [[one, twoName], [two, oneName]] as const) {
    await ui.page.getByRole('button', { name: 'Group info' }).click()
    const info = ui.page.getByRole('dialog', { name: 'Group info' })
    await expect(info.getByRole('form', { name: 'Rename the group' })).toHaveCount(0)
    await info.getByRole('button', { name: `Safety number of ${other}` }).click()
    await expect(ui.safetyNumber.digits.locator('span')).toHaveCount(12)
    numbers.push(await ui.safetyNumber.read())
    await ui.safetyNumber.close.click()
    await ui.page.keyboard.press('Escape')
    await expect(ui.page.getByRole('dialog')).toHaveCount(0)
  }
  expect(numbers[0]).toMatch(/^(\d{5} ){11}\d{5}$/)
  expect(numbers[1]).toBe(numbers[0])
}

test('a group of three talks; a removed member is told and sees nothing after', async ({ sotto }) => {
  const [alice, bob, carol] = await Promise.all([sotto.app('Alice'), sotto.app('Bob'), sotto.app('Carol')])
  await Promise.all([setUp(alice, 'Alice'), setUp(bob, 'Bob'), setUp(carol, 'Carol')])
  await introduce(alice, bob)
  await introduce(alice, carol)
  const [a, b, c] = [new Screens(await alice.open()), new Screens(await bob.open()), new Screens(await carol.open())]

  // Alice makes the group from her contacts.
  await a.shell.go('Chats')
  await a.page.getByRole('button', { name: 'New group' }).click()
  const form = a.page.getByRole('dialog', { name: 'New group' })
  await form.getByLabel('Group name').fill(GROUP)
  await form.getByRole('checkbox', { name: 'Bob' }).check()
  await form.getByRole('checkbox', { name: 'Carol' }).check()
  await form.getByRole('button', { name: 'Create group' }).click()
  await a.chat.waitOpen(GROUP)
  // Each joins once their app answered; the timeline says who did what.
  await expect(a.chat.region.locator('.chat-subtitle')).toContainText('3 members', { timeout: 30_000 })
  await expect(systemLine(a, `You created the group “${GROUP}”`)).toBeVisible()
  await expect(systemLine(a, 'You added Bob')).toBeVisible()
  await expect(systemLine(a, 'You added Carol')).toBeVisible()

  // The group is among Bob's and Carol's conversations; Bob's counts what he has not read.
  await c.shell.go('Chats')
  await c.shell.conversation(GROUP).click()
  await c.chat.waitOpen(GROUP)
  await b.shell.go('Chats')
  await expect(b.shell.conversation(GROUP)).toBeVisible()
  await say(a, 'Alice', 'Welcome! First book: Dune?', [c])
  await expect(b.shell.unreadBadge(GROUP)).toHaveText('1')
  await b.shell.conversation(GROUP).click()
  await b.chat.waitOpen(GROUP)
  await expect(b.chat.message('Welcome! First book: Dune?').locator('.sender-name')).toHaveText('Alice: ')
  await expect(b.shell.unreadBadge(GROUP)).toHaveCount(0)
  for (const ui of [b, c]) await expect(systemLine(ui, `Alice created the group “${GROUP}”`)).toBeVisible()
  await expect(systemLine(b, 'Alice added you')).toBeVisible()
  await expect(systemLine(b, 'Alice added Carol')).toBeVisible()

  // All three talk; each sees the others' messages under their names.
  await expect(a.chat.state('Welcome! First book: Dune?')).toHaveText(/Delivered to 2 of 2/)
  await say(b, 'Bob', 'Dune works for me', [a, c])
  await say(c, 'Carol', 'Me too, chapter one by Friday', [a, b])
  await say(a, 'Alice', 'Good, see you Friday', [b, c])
  await expect(a.shell.conversation(GROUP).locator('.conversation-preview')).toHaveText('You: Good, see you Friday')
  await expect(c.chat.message('Dune works for me').locator('.sender-name')).toHaveText('Bob: ')

  // Bob shares a photo: it shows at Alice's and at Carol's, who is not his contact, under his name.
  await b.page.getByLabel('File to send').setInputFiles([{ name: 'cover.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(b.page) }])
  for (const ui of [a, c]) {
    const photo = fileRow(ui, 'cover.jpg')
    await expect(photo.locator('.sender-name')).toHaveText('Bob: ', { timeout: 30_000 })
    await expect(photo.getByRole('img', { name: 'Preview of cover.jpg' })).toBeVisible()
    await expect(photo.locator('.file-state')).toContainText('Downloaded', { timeout: 30_000 })
  }
  await expect(fileRow(b, 'cover.jpg').locator('.delivery')).toHaveText(/Delivered to 2 of 2/, { timeout: 30_000 })

  // Bob replies to Carol, who is not his contact: both others see the quote.
  await action(b.chat.message('Me too, chapter one by Friday'), 'Reply')
  await say(b, 'Bob', 'Friday is tight, Saturday?', [a, c])
  for (const ui of [a, c]) await expect(ui.chat.message('Friday is tight, Saturday?').locator('.message-quote')).toHaveText('Me too, chapter one by Friday')
  // Carol and Alice react to the reply; each reaction names its member.
  await react(c, 'Friday is tight, Saturday?', '👍')
  await expect(b.chat.message('Friday is tight, Saturday?').locator('.message-reactions')).toHaveText('👍 Carol')
  await react(a, 'Friday is tight, Saturday?', '👍')
  await expect(b.chat.message('Friday is tight, Saturday?').locator('.message-reactions')).toHaveText('👍 2 Carol, Alice')
  await react(a, 'Friday is tight, Saturday?', '❤️')
  await expect(b.chat.message('Friday is tight, Saturday?').locator('.message-reactions')).toHaveText('👍 Carol❤️ Alice')
  await expect(c.chat.message('Friday is tight, Saturday?').locator('.message-reactions')).toHaveText('👍 You❤️ Alice')
  // Carol edits her message; Alice deletes one of hers for everyone.
  await action(c.chat.message('Me too, chapter one by Friday'), 'Edit')
  await c.page.getByRole('textbox', { name: 'New text' }).fill('Me too, chapter one by Saturday')
  await c.page.getByRole('form', { name: 'Edit message' }).getByRole('button', { name: 'Save' }).click()
  for (const ui of [a, b]) await expect(ui.chat.message('Me too, chapter one by Saturday').locator('.edited')).toBeVisible()
  await say(a, 'Alice', 'wrong chat, sorry', [b, c])
  await action(a.chat.message('wrong chat, sorry'), 'Delete')
  await a.chat.message('wrong chat, sorry').getByRole('button', { name: 'Delete for everyone' }).click()
  for (const ui of [a, b, c]) {
    await expect(ui.chat.message('This message was deleted')).toBeVisible()
    await expect(ui.chat.message('wrong chat, sorry')).toHaveCount(0)
  }

  // A timer: Alice's next texts carry it, and the others see that in the timeline.
  await a.chat.timer.selectOption('3600')
  await expect(a.page.getByText('Your messages disappear 1 hour after they are sent.')).toBeVisible()
  await say(a, 'Alice', 'This one disappears in an hour', [b])
  await expect(systemLine(b, 'Alice set disappearing messages to 1 hour')).toBeVisible()
  await docScreenshot(b.page, '16-group-chat')
  await checkScreen(a.page, 'group chat')
  await expect(b.chat.timer).toHaveValue('3600')

  // Bob and Carol, who are not each other's contacts, compare their safety numbers from the group info.
  await compareSafetyNumbers(b, 'Bob', c, 'Carol')

  // The group info: members, admins marked; Alice removes Carol.
  await a.page.getByRole('button', { name: 'Group info' }).click()
  const info = a.page.getByRole('dialog', { name: 'Group info' })
  const members = info.getByRole('list', { name: 'Members' }).getByRole('listitem')
  await expect(members).toHaveCount(3)
  await expect(members.filter({ hasText: 'You' })).toContainText('Admin')
  await checkScreen(a.page, 'group info')
  await docScreenshot(a.page, '16-group-info')
  // Alice renames the group by keyboard; the others' chats take the new name and say so.
  await info.getByRole('textbox', { name: 'Group name' }).fill(RENAMED)
  await info.getByRole('textbox', { name: 'Group name' }).press('Enter')
  await expect(info.locator('p').first()).toContainText(`${RENAMED}: 3 of at most`)
  for (const ui of [b, c]) {
    await expect(ui.chat.title).toHaveText(RENAMED)
    await expect(systemLine(ui, `Alice renamed the group from “${GROUP}” to “${RENAMED}”`)).toBeVisible()
  }
  await expect(b.shell.conversation(RENAMED)).toBeVisible()
  await members.filter({ hasText: 'Bob' }).getByRole('button', { name: 'Make admin Bob' }).click()
  await expect(members.filter({ hasText: 'Bob' })).toContainText('Admin')
  await expect(systemLine(b, 'Alice made you an admin')).toBeVisible()
  await members.filter({ hasText: 'Carol' }).getByRole('button', { name: /^Remove/ }).click()
  await a.page.getByRole('dialog', { name: 'Remove from the group?' }).getByRole('button', { name: 'Remove' }).click()
  // Back in the group info, without Carol.
  await expect(members).toHaveCount(2)
  await expect(members.filter({ hasText: 'Carol' })).toHaveCount(0)
  await a.page.keyboard.press('Escape')
  await expect(info).toBeHidden()

  // Carol is told, and cannot write any more.
  await expect(c.page.getByRole('status').filter({ hasText: 'You were removed from this group' })).toBeVisible()
  await expect(systemLine(c, 'Alice removed you from the group')).toBeVisible()
  await expect(c.chat.composer).toBeDisabled()
  const carolRows = await c.chat.rows.count()

  // Alice and Bob go on; once Bob shows their words, Carol's screen still has none of them.
  await say(a, 'Alice', 'Just the two of us now', [b])
  await say(b, 'Bob', 'Then chapter two as well', [a])
  await expect(a.chat.state('Just the two of us now')).toHaveText(/Delivered to 1 of 1/)
  // Reacting scrolls Alice's timeline up to an older message.
  await react(a, 'Me too, chapter one by Saturday', '🙏')
  await expect(b.chat.message('Me too, chapter one by Saturday').locator('.message-reactions')).toHaveText('🙏 Alice')
  await expect(systemLine(b, 'Alice removed Carol')).toBeVisible()
  await expect(c.chat.message('Just the two of us now')).toHaveCount(0)
  await expect(c.chat.message('Then chapter two as well')).toHaveCount(0)
  expect(await c.chat.rows.count()).toBe(carolRows)
  expect(await c.chat.renderedTexts()).not.toContain('Just the two of us now')
  await expect(c.chat.message('Me too, chapter one by Saturday').locator('.message-reactions')).toHaveCount(0)
})
