// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Journey 7, safety: a stranger's message lands in requests, not in the chat list; blocking Bob
 * stops his messages from arriving, and revokes his deposit tokens at the relays; an XSS payload
 * as a name and as a message renders as plain text.
 */
import { docScreenshot, introduce, setUp } from '../fixtures/flows.ts'
import { expect, test } from '../fixtures/index.ts'
import { Screens } from '../fixtures/screens.ts'

test('a stranger\'s message waits in requests, and blocking the stranger ends it', async ({ sotto }) => {
  const alice = await sotto.app('Alice')
  const carol = await sotto.app('Carol')
  await Promise.all([setUp(alice, 'Alice'), setUp(carol, 'Carol')])
  const a = new Screens(await alice.open())
  await a.shell.go('Chats')

  const { link } = await alice.api.call('createInvite')
  const aliceForCarol = await carol.api.call('addContact', { invite: link })
  const first = 'Hi Alice, we met at the workshop. Is this the right link?'
  await carol.api.call('send', { contactId: aliceForCarol.id, text: first })

  // Not a conversation: a request, counted beside Requests, with the message to judge it by.
  await expect(a.shell.requestsButton.getByLabel('1 waiting')).toBeVisible()
  await expect(a.shell.conversation('Carol')).toHaveCount(0)
  await a.shell.go('Requests')
  await expect(a.requests.request('Carol')).toContainText(first)
  await docScreenshot(a.page, '04-requests')

  // Blocked: the request goes, and what Carol writes next is refused, not shown.
  await a.requests.block('Carol')
  await expect(a.requests.items).toHaveCount(0)
  await expect(a.shell.requestsButton.getByLabel(/waiting/)).toHaveCount(0)
  const refused = await carol.api.call('send', { contactId: aliceForCarol.id, text: 'Why did you block me?' })
  await expect.poll(async () => (await carol.api.call('history', { contactId: aliceForCarol.id })).find(m => m.id === refused.id)?.state, {
    message: 'Carol\'s next message is refused'
  }).toBe('failed')
  await a.shell.go('Chats')
  await expect(a.shell.conversation('Carol')).toHaveCount(0)
  await a.shell.go('Requests')
  await expect(a.requests.items).toHaveCount(0)
  expect((await alice.api.call('requests')).filter(r => !r.blocked)).toEqual([])
})

test('blocking a contact stops their messages, shown as not sent on their side', async ({ sotto }) => {
  const alice = await sotto.app('Alice')
  const bob = await sotto.app('Bob')
  await Promise.all([setUp(alice, 'Alice'), setUp(bob, 'Bob')])
  const { aKnowsB } = await introduce(alice, bob)
  const a = new Screens(await alice.open())
  const b = new Screens(await bob.open())
  await a.openChat('Bob')
  await b.openChat('Alice')
  await b.chat.send('Before the block.')
  await expect(a.chat.message('Before the block.')).toBeVisible()

  await a.chat.blockButton.click()
  const dialog = a.page.getByRole('dialog', { name: 'Block this contact?' })
  await expect(dialog).toBeVisible()
  await dialog.getByRole('button', { name: 'Block' }).click()
  await expect(a.chat.presence.getByText('Blocked', { exact: true })).toBeVisible()
  await expect(a.chat.composer).toBeDisabled()

  const after = 'After the block: this must not arrive.'
  await b.chat.send(after)
  await expect(b.chat.state(after)).toHaveText(/Not sent/, { timeout: 30_000 })
  await expect(a.chat.message(after)).toHaveCount(0)
  expect((await alice.api.call('history', { contactId: aKnowsB.id })).map(m => m.text)).toEqual(['Before the block.'])
})

test('blocking revokes the contact\'s deposit token at the relay', async ({ sotto }) => {
  const relay = await sotto.relay()
  const alice = await sotto.app('Alice')
  const bob = await sotto.app('Bob')
  await Promise.all([setUp(alice, 'Alice', [relay.address]), setUp(bob, 'Bob')])
  const { aKnowsB, bKnowsA } = await introduce(alice, bob)
  const b = new Screens(await bob.open())
  await b.openChat('Alice')
  await b.chat.send('Hello Alice.')
  await expect(b.chat.state('Hello Alice.')).toHaveText(/Delivered/)

  // Alice away: Bob's token at her relay works, his message waits there for her.
  await alice.stop()
  await b.chat.send('Left at your relay.')
  await expect(b.chat.state('Left at your relay.')).toHaveText(/Sent to relay/, { timeout: 30_000 })
  await alice.start()
  await alice.waitOnline()
  await expect(b.chat.state('Left at your relay.')).toHaveText(/Delivered/, { timeout: 30_000 })

  // Alice blocks Bob and goes away again: the relay now refuses Bob's token.
  await alice.api.call('block', { contactId: aKnowsB.id })
  await alice.stop()
  const blocked = 'Sent after the block, while Alice is away.'
  await b.chat.send(blocked)
  await bob.waitForLog(line => line.msg === 'relay did not take a deposit' && line.error === 'UnauthorizedError',
    'that the relay refused the deposit token')
  await expect(b.chat.state(blocked)).not.toHaveText(/Sent to relay|Delivered/)

  // Back online, Alice's mailbox holds nothing of it.
  await alice.start()
  await alice.waitOnline()
  const texts = (await alice.api.call('history', { contactId: aKnowsB.id })).map(m => m.text)
  expect(texts).toEqual(['Hello Alice.', 'Left at your relay.'])
  expect((await bob.api.call('history', { contactId: bKnowsA.id })).find(m => m.text === blocked)?.state).not.toBe('delivered')
})

/** Markup and script in names and messages: each must show as the text it is. */
const XSS_NAME = '<img src=x onerror="window.__xss=1">'
const XSS_MESSAGES = [
  '<script>window.__xss = 2</script>',
  '"><svg onload="window.__xss=3"><b>bold?</b>',
  'javascript:window.__xss=4',
  '{{constructor.constructor(\'window.__xss=5\')()}} ${window.__xss=6}',
  '\u202Eevil.exe\u202C <a href="https://example.org" onclick="window.__xss=7">link</a>'
]

test('XSS payloads as a name and as messages render as plain text', async ({ sotto }) => {
  const alice = await sotto.app('Alice')
  const mallory = await sotto.app('Mallory')
  await Promise.all([setUp(alice, 'Alice'), setUp(mallory, XSS_NAME)])
  const a = new Screens(await alice.open())
  const { link } = await alice.api.call('createInvite')
  const aliceForMallory = await mallory.api.call('addContact', { invite: link })
  for (const text of XSS_MESSAGES) await mallory.api.call('send', { contactId: aliceForMallory.id, text })

  await a.shell.go('Requests')
  const request = a.requests.request(XSS_NAME)
  await expect(request).toBeVisible()
  await a.requests.accept(XSS_NAME)
  await a.chat.waitOpen(XSS_NAME)
  await expect(a.chat.rows).toHaveCount(XSS_MESSAGES.length)

  // Every payload is the text of its bubble, character for character, and nothing ran.
  const shown = await a.chat.log.locator('.message-text').evaluateAll(els => els.map(el => el.textContent))
  expect(shown).toEqual(XSS_MESSAGES)
  expect(await a.page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined()
  expect(await a.chat.log.locator('script, img, svg, b, [onclick], [onerror], [onload]').count()).toBe(0)
  // Only https URLs become links; the one in the last payload is text like the rest of it.
  expect(await a.chat.log.locator('a').evaluateAll(els => els.map(el => el.getAttribute('href')))).toEqual(['https://example.org'])
  await expect(a.chat.title).toHaveText(XSS_NAME)
  await expect(a.shell.conversation(XSS_NAME)).toBeVisible()
  expect(alice.dialogs).toEqual([])
})
