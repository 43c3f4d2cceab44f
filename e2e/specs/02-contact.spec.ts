// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Journey 2, contact: Alice pastes Bob's invite; Bob sees a request and accepts; both see the same
 * safety number; Bob marks Alice verified.
 */
import { docScreenshot, onboard } from '../fixtures/flows.ts'
import { expect, test } from '../fixtures/index.ts'

test('Alice adds Bob by invite, Bob accepts, and both see the same safety number', async ({ sotto }) => {
  const alice = await sotto.app('Alice')
  const bob = await sotto.app('Bob')
  const [a, b] = await Promise.all([onboard(alice, 'Alice'), onboard(bob, 'Bob')])

  await b.shell.go('My invite')
  await expect(b.invite.qrCode).toBeVisible()
  const link = await b.invite.readLink()

  await a.shell.go('Add contact')
  await a.addContact.link.fill(link)
  await docScreenshot(a.page, '03-add-contact')
  await a.addContact.add.click()
  // Adding opens the conversation with Bob at once.
  await a.chat.waitOpen('Bob')

  // Bob: a request from Alice, counted in the navigation, not yet a conversation.
  await expect(b.shell.requestsButton.getByLabel('1 waiting')).toBeVisible()
  await b.shell.go('Chats')
  await expect(b.shell.conversation('Alice')).toHaveCount(0)
  await b.shell.go('Requests')
  await expect(b.requests.request('Alice')).toBeVisible()
  await b.requests.accept('Alice')
  await b.chat.waitOpen('Alice')
  await expect(b.shell.requestsButton.getByLabel(/waiting/)).toHaveCount(0)
  await b.shell.go('Chats')
  await expect(b.shell.conversation('Alice')).toBeVisible()
  await b.shell.conversation('Alice').click()

  // Both compare the safety number.
  await a.chat.safetyNumberButton.click()
  await b.chat.safetyNumberButton.click()
  await expect(a.safetyNumber.digits.locator('span')).toHaveCount(12)
  await expect(b.safetyNumber.digits.locator('span')).toHaveCount(12)
  const seenByAlice = await a.safetyNumber.read()
  const seenByBob = await b.safetyNumber.read()
  expect(seenByAlice).toMatch(/^(\d{5} ){11}\d{5}$/)
  expect(seenByBob).toBe(seenByAlice)
  await expect(b.safetyNumber.state).toHaveText('Not verified')
  await docScreenshot(b.page, '06-safety-number')

  // Bob marks Alice verified; it shows in the dialog, in the chat, and after a reload.
  await b.safetyNumber.markVerified.click()
  await expect(b.safetyNumber.state).toHaveText('Verified')
  await b.page.keyboard.press('Escape')
  await expect(b.safetyNumber.dialog).toBeHidden()
  await expect(b.chat.verifiedBadge).toBeVisible()
  await b.page.reload()
  await b.openChat('Alice')
  await expect(b.chat.verifiedBadge).toBeVisible()
  // Verification is Bob's own judgement: Alice's side is unchanged.
  await a.safetyNumber.close.click()
  await expect(a.chat.verifiedBadge).toHaveCount(0)
})
