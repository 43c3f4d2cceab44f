// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Journey 9, accessibility: axe on every main screen reports no serious or critical violation; the
 * main journey works with the keyboard alone.
 */
import { checkScreen } from '../fixtures/axe.ts'
import { introduce, setUp } from '../fixtures/flows.ts'
import { expect, test } from '../fixtures/index.ts'
import { Screens } from '../fixtures/screens.ts'
import type { Locator, Page } from '@playwright/test'

test('every main screen passes axe with no serious or critical violation, in light and dark', async ({ sotto }) => {
  const relay = await sotto.relay()
  const alice = await sotto.app('Alice', { relays: [relay.address], passphraseFromEnv: false })
  const bob = await sotto.app('Bob')
  const carol = await sotto.app('Carol')
  const a = new Screens(await alice.open())

  await expect(a.onboarding.name).toBeVisible()
  await checkScreen(a.page, 'onboarding')
  await a.onboarding.createIdentity('Alice', alice.passphrase)
  await a.shell.waitReady()
  await Promise.all([setUp(bob, 'Bob'), setUp(carol, 'Carol')])
  const { bKnowsA } = await introduce(alice, bob)
  const { link } = await alice.api.call('createInvite')
  const aliceForCarol = await carol.api.call('addContact', { invite: link })
  await carol.api.call('send', { contactId: aliceForCarol.id, text: 'Hi, Carol here, from the workshop.' })

  for (const theme of ['Light', 'Dark'] as const) {
    const fromBob = `Hello Alice, shall we check our safety numbers? (${theme})`
    await a.shell.go('Settings')
    await bob.api.call('send', { contactId: bKnowsA.id, text: fromBob })
    await a.settings.theme(theme).check()
    await expect(a.page.locator('html')).toHaveAttribute('data-theme', theme.toLowerCase())
    await expect(a.settings.relays).toHaveCount(1)
    await checkScreen(a.page, `settings (${theme})`)
    await a.shell.go('Chats')
    await expect(a.shell.unreadBadge('Bob')).toBeVisible()
    await checkScreen(a.page, `conversations (${theme})`)
    await a.shell.conversation('Bob').click()
    await expect(a.chat.message(fromBob)).toBeVisible()
    await a.chat.send(`Yes, let us. (${theme})`)
    await expect(a.chat.state(`Yes, let us. (${theme})`)).toHaveText(/Delivered/)
    await checkScreen(a.page, `chat (${theme})`)
    await a.chat.safetyNumberButton.click()
    await expect(a.safetyNumber.dialog).toBeVisible()
    await checkScreen(a.page, `safety number (${theme})`)
    await a.page.keyboard.press('Escape')
    await a.chat.blockButton.click()
    await expect(a.page.getByRole('dialog', { name: 'Block this contact?' })).toBeVisible()
    await checkScreen(a.page, `block dialog (${theme})`)
    await a.page.getByRole('button', { name: 'Cancel' }).click()
    await a.shell.go('Requests')
    await expect(a.requests.request('Carol')).toBeVisible()
    await checkScreen(a.page, `requests (${theme})`)
    await a.shell.go('Add contact')
    await a.addContact.link.fill('https://not-an-invite.example')
    await a.addContact.add.click()
    await expect(a.addContact.error).toBeVisible()
    await checkScreen(a.page, `add contact, with an error (${theme})`)
    await a.shell.go('My invite')
    await expect(a.invite.qrCode).toBeVisible()
    await checkScreen(a.page, `my invite (${theme})`)
  }

  await alice.restart()
  await expect(a.unlock.heading).toBeVisible()
  await a.unlock.unlockWith('a wrong passphrase')
  await expect(a.unlock.error).toBeVisible()
  await checkScreen(a.page, 'unlock, with an error')
})

/** Presses Tab until `target` has the focus (at most `max` times), as a keyboard user would. */
async function tabTo (page: Page, target: Locator, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate(el => el === document.activeElement).catch(() => false)) return
    await page.keyboard.press('Tab')
  }
  await expect(target, `reachable with Tab within ${max} presses`).toBeFocused()
}

test('the main journey works with the keyboard alone', async ({ sotto }) => {
  const alice = await sotto.app('Alice')
  const bob = await sotto.app('Bob')
  await setUp(bob, 'Bob')
  const a = new Screens(await alice.open())
  const keys = a.page.keyboard

  // Onboarding.
  await tabTo(a.page, a.onboarding.name)
  await keys.type('Alice')
  await tabTo(a.page, a.onboarding.create)
  await keys.press('Enter')
  await a.shell.waitReady()

  // Add Bob from his invite.
  const { link } = await bob.api.call('createInvite')
  await tabTo(a.page, a.shell.navButton('Add contact'))
  await keys.press('Enter')
  await tabTo(a.page, a.addContact.link)
  await keys.insertText(link)
  await tabTo(a.page, a.addContact.alias)
  await keys.type('Bob')
  await keys.press('Enter')
  await a.chat.waitOpen('Bob')

  // Bob accepts; they write.
  await expect.poll(async () => (await bob.api.call('requests')).length, { timeout: 30_000 }).toBe(1)
  const [request] = await bob.api.call('requests')
  await bob.api.call('accept', { contactId: request!.id })
  await tabTo(a.page, a.chat.composer)
  await keys.type('Hello Bob, typed without a mouse.')
  await keys.press('Enter')
  await expect(a.chat.state('Hello Bob, typed without a mouse.')).toHaveText(/Delivered/)
  await bob.api.call('send', { contactId: request!.id, text: 'Hello Alice! Nice.' })
  await expect(a.chat.message('Hello Alice! Nice.')).toBeVisible()

  // The history scrolls with the keyboard too.
  await tabTo(a.page, a.chat.log)
  await keys.press('Home')

  // The safety number: open, mark verified, close with Escape; focus comes back.
  await tabTo(a.page, a.chat.safetyNumberButton)
  await keys.press('Enter')
  await expect(a.safetyNumber.dialog).toBeVisible()
  await tabTo(a.page, a.safetyNumber.markVerified, 5)
  await keys.press('Enter')
  await expect(a.safetyNumber.state).toHaveText('Verified')
  await keys.press('Escape')
  await expect(a.safetyNumber.dialog).toBeHidden()
  await expect(a.chat.safetyNumberButton).toBeFocused()
  await expect(a.chat.verifiedBadge).toBeVisible()

  // The disappearing timer, from the keyboard.
  await tabTo(a.page, a.chat.timer)
  for (let i = 0; i < 4; i++) await keys.press('ArrowDown')
  await expect(a.chat.timer).toHaveValue('3600')
  await expect(a.page.getByText('Messages disappear 1 hour after they are read.')).toBeVisible()

  // Back to the list, and into the conversation again.
  await tabTo(a.page, a.shell.navButton('Chats'))
  await keys.press('Enter')
  await tabTo(a.page, a.shell.conversation('Bob'))
  await keys.press('Enter')
  await a.chat.waitOpen('Bob')
  await expect(a.chat.message('Hello Alice! Nice.')).toBeVisible()
})
