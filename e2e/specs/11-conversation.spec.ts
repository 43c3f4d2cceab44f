// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Journey 10, in a conversation: Bob replies to Alice's message (the quote jumps to it), Alice
 * reacts to the reply, edits her message and deletes another for everyone; Bob sees each, and
 * search finds what is visible and nothing of the deleted message.
 */
import { openPair } from '../fixtures/flows.ts'
import { expect, test } from '../fixtures/index.ts'
import type { Locator } from '@playwright/test'

/** A message's action button (the actions show on hover or focus). */
async function action (message: Locator, name: string): Promise<void> {
  await message.hover()
  await message.getByRole('button', { name, exact: true }).click()
}

test('reply, react, edit, delete for everyone, and search', async ({ sotto }) => {
  const { a, b } = await openPair(sotto)
  await a.openChat('Bob')
  await b.openChat('Alice')

  await a.chat.send('Lunch at the harbour?')
  await expect(b.chat.message('Lunch at the harbour?')).toBeVisible()

  // Bob replies: the reply shows the quote, and the quote leads back to the original.
  await action(b.chat.message('Lunch at the harbour?'), 'Reply')
  await expect(b.page.getByRole('status').filter({ hasText: 'Replying to' })).toContainText('Lunch at the harbour?')
  await b.chat.send('Yes, at noon')
  const reply = a.chat.message('Yes, at noon')
  await expect(reply.locator('.message-quote')).toHaveText('Lunch at the harbour?')
  await reply.locator('.message-quote').click()
  await expect(a.chat.message('Lunch at the harbour?')).toBeFocused()

  // Alice reacts to the reply, then changes her reaction: one per person.
  await action(reply, 'React')
  await reply.getByRole('button', { name: '👍' }).click()
  await expect(b.chat.message('Yes, at noon').locator('.message-reactions')).toHaveText('👍')
  await action(reply, 'React')
  await reply.getByRole('button', { name: '❤️' }).click()
  await expect(b.chat.message('Yes, at noon').locator('.message-reactions')).toHaveText('❤️')

  // Alice edits her question: Bob sees the last version, marked edited.
  await action(a.chat.message('Lunch at the harbour?'), 'Edit')
  await a.page.getByRole('textbox', { name: 'New text' }).fill('Lunch at the old harbour?')
  await a.page.getByRole('button', { name: 'Save' }).click()
  const edited = b.chat.message('Lunch at the old harbour?')
  await expect(edited).toBeVisible()
  await expect(edited.locator('.edited')).toBeVisible()

  // Alice sends something she regrets and deletes it for everyone.
  await a.chat.send('my door code is 4321')
  await expect(b.chat.message('my door code is 4321')).toBeVisible()
  await action(a.chat.message('my door code is 4321'), 'Delete')
  await a.chat.message('my door code is 4321').getByRole('button', { name: 'Delete for everyone' }).click()
  await expect(b.chat.message('This message was deleted')).toBeVisible()
  await expect(b.chat.message('my door code is 4321')).toHaveCount(0)
  await expect(a.chat.message('This message was deleted')).toBeVisible()

  // Search finds what Bob can see, across conversations and within this one; not the deleted text.
  const across = b.page.getByRole('searchbox', { name: 'Search all conversations' })
  const results = b.page.getByRole('list', { name: 'Search results' })
  await across.fill('harbour')
  await expect(results).toContainText('Lunch at the old harbour?')
  await across.fill('4321')
  await expect(results).toHaveText('Nothing found')
  await across.fill('')
  const within = b.page.getByRole('searchbox', { name: 'Search this conversation' })
  await within.fill('noo')
  await expect(results.getByRole('button')).toHaveCount(1)
  await expect(results).toContainText('Yes, at noon')
  await results.getByRole('button').click()
  await expect(b.chat.message('Yes, at noon')).toBeFocused()
})
