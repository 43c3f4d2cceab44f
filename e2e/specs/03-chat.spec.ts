// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Journey 3, chat: messages both ways appear in order with their delivery state moving to
 * delivered; unread counts update; a 2,000-message history scrolls virtualised and stays in order
 * after a reload.
 */
import { docScreenshot, introduce, setUp } from '../fixtures/flows.ts'
import { expect, test } from '../fixtures/index.ts'
import { Screens } from '../fixtures/screens.ts'
import type { Locator } from '@playwright/test'

test('messages both ways arrive in order, reach Delivered, and unread counts follow', async ({ sotto }) => {
  const alice = await sotto.app('Alice')
  const bob = await sotto.app('Bob')
  await Promise.all([setUp(alice, 'Alice'), setUp(bob, 'Bob')])
  await introduce(alice, bob)
  const a = new Screens(await alice.open())
  const b = new Screens(await bob.open())

  // Bob keeps his conversation list open while Alice writes three messages in a row.
  await b.shell.go('Chats')
  await expect(b.shell.conversation('Alice')).toBeVisible()
  await a.openChat('Bob')
  const fromAlice = ['Morning Bob! Three things.', 'First: the train is at nine.', 'Second: bring the map, please.']
  for (const text of fromAlice) await a.chat.send(text)
  for (const text of fromAlice) await expect(a.chat.state(text)).toHaveText(/Delivered/)
  await expect(b.shell.unreadBadge('Alice')).toHaveText('3')
  await expect(b.shell.conversation('Alice')).toContainText(fromAlice[2]!)

  // Bob reads them, in order; his unread count goes away.
  await b.shell.conversation('Alice').click()
  await b.chat.waitOpen('Alice')
  for (const text of fromAlice) await expect(b.chat.message(text)).toBeVisible()
  expect(await b.chat.renderedTexts()).toEqual(fromAlice)
  await expect(b.shell.unreadBadge('Alice')).toHaveCount(0)

  // Bob answers twice; Alice, with the chat open, sees both after her own, and no unread count.
  const fromBob = ['Morning! Nine is fine.', 'Map packed. See you at the station.']
  for (const text of fromBob) await b.chat.send(text)
  for (const text of fromBob) await expect(b.chat.state(text)).toHaveText(/Delivered/)
  await expect(a.chat.message(fromBob[1]!)).toBeVisible()
  expect(await a.chat.renderedTexts()).toEqual([...fromAlice, ...fromBob])
  expect(await b.chat.renderedTexts()).toEqual([...fromAlice, ...fromBob])
  await expect(a.shell.unreadBadge('Bob')).toHaveCount(0)
  await docScreenshot(a.page, '05-chat')

  // Away from the chat, Alice's count rises with each message, and falls when she opens it.
  await a.shell.go('Settings')
  const later = ['One more thing: coffee?', 'I will bring two.']
  for (const text of later) await b.chat.send(text)
  for (const text of later) await expect(b.chat.state(text)).toHaveText(/Delivered/)
  await a.shell.go('Chats')
  await expect(a.shell.unreadBadge('Bob')).toHaveText('2')
  await docScreenshot(a.page, '07-conversations')
  await a.shell.conversation('Bob').click()
  await expect(a.chat.message(later[1]!)).toBeVisible()
  await expect(a.shell.unreadBadge('Bob')).toHaveCount(0)
  expect(await a.chat.renderedTexts()).toEqual([...fromAlice, ...fromBob, ...later])
})

const HISTORY = 2000
const label = (n: number): string => `History ${String(n).padStart(4, '0')}`

/** The numbers of the history messages rendered now, top to bottom. */
async function renderedNumbers (log: Locator): Promise<number[]> {
  const texts = await log.locator('.message-text').allInnerTexts()
  return texts.map(t => Number(/^History (\d{4})$/.exec(t)?.[1] ?? NaN))
}

/** Where a message list stands: which history messages are rendered, and where each one is. */
interface ListView {
  /** The first and last message rendered. */
  first: number
  last: number
  /** Nothing is left above: the first row rendered is the list's first row. */
  atTop: boolean
  /** Each rendered message's top, relative to the top of the list's box, in px. */
  positions: Record<number, number>
}

async function viewOf (log: Locator): Promise<ListView> {
  return log.evaluate(el => {
    const box = el.getBoundingClientRect()
    const rows = [...el.querySelectorAll('.message')].map(m => ({
      n: Number(/History (\d{4})/.exec(m.querySelector('.message-text')?.textContent ?? '')?.[1] ?? NaN),
      top: m.getBoundingClientRect().top - box.top
    }))
    const spacer = el.firstElementChild as HTMLElement | null
    return {
      first: rows[0]?.n ?? NaN,
      last: rows.at(-1)?.n ?? NaN,
      atTop: spacer != null && spacer.offsetHeight === 0,
      positions: Object.fromEntries(rows.map(r => [r.n, r.top]))
    }
  })
}

/** Checks that what is rendered is a run of consecutive messages, oldest first, and few of them. */
function expectContiguous (numbers: number[]): void {
  expect(numbers.length, 'rows rendered').toBeGreaterThan(0)
  // Virtualised: a few screens' worth of rows, never the whole history.
  expect(numbers.length, 'rows rendered').toBeLessThan(120)
  const first = numbers[0]!
  expect(numbers).toEqual(numbers.map((_, i) => first + i))
}

test('a 2,000-message history scrolls virtualised and stays in order after a reload', async ({ sotto }) => {
  const alice = await sotto.app('Alice')
  const bob = await sotto.app('Bob')
  await Promise.all([setUp(alice, 'Alice'), setUp(bob, 'Bob')])
  const { aKnowsB, bKnowsA } = await introduce(alice, bob)

  // Bob's app sends the history (through its API, as fast as it takes them), and Alice's receives it.
  const payloads = Array.from({ length: HISTORY }, (_, i) => ({ contactId: bKnowsA.id, text: label(i + 1) }))
  await bob.api.callMany('send', payloads)
  await expect.poll(async () => (await alice.api.call('contact', { contactId: aKnowsB.id })).unread, {
    message: 'Alice receives the whole history', timeout: 90_000
  }).toBe(HISTORY)

  const a = new Screens(await alice.open())
  await expect(a.shell.unreadBadge('Bob')).toHaveText(String(HISTORY))
  await a.shell.conversation('Bob').click()
  await a.chat.waitOpen('Bob')
  await expect(a.chat.message(label(HISTORY))).toBeInViewport()
  await expect(a.shell.unreadBadge('Bob')).toHaveCount(0)
  expectContiguous(await renderedNumbers(a.chat.log))
  expect((await renderedNumbers(a.chat.log)).at(-1)).toBe(HISTORY)

  // Scroll to the top again and again: each time an older page loads above, the view does not
  // jump, and the rows stay few and in order.
  const log = a.chat.log
  let steps = 0
  let slowest = 0
  for (let step = await loadOlderPage(log); step != null; step = await loadOlderPage(log)) {
    slowest = Math.max(slowest, step.ms)
    expect(++steps, 'pages loaded').toBeLessThan(HISTORY / 50)
  }
  await expect(a.chat.message(label(1))).toBeInViewport()
  test.info().annotations.push({ type: 'history', description: `${steps} older pages loaded; slowest in ${slowest} ms` })
  expect(slowest, 'slowest page load, ms').toBeLessThan(3000)

  // Back down through the middle to the end, in order all the way.
  for (const fraction of [0.25, 0.5, 0.75]) {
    await scrollTo(log, fraction)
    expectContiguous(await renderedNumbers(log))
  }
  await log.focus()
  await log.press('End')
  await expect(a.chat.message(label(HISTORY))).toBeInViewport()
  expectContiguous(await renderedNumbers(log))

  // After a reload: the newest message at the bottom, and older pages still load in order.
  await a.page.reload()
  await a.openChat('Bob')
  await expect(a.chat.message(label(HISTORY))).toBeInViewport()
  expectContiguous(await renderedNumbers(log))
  expect(await loadOlderPage(log)).toBeDefined()
  expect(await loadOlderPage(log)).toBeDefined()
})

/**
 * Scrolls a message list to its top once: just short of it first (the oldest message loaded so
 * far is drawn, nothing loads yet), then to it, which loads an older page above. Checks that the
 * message at the top stays exactly where it was and that the rows stay few and in order. Resolves
 * with how long the page took, or undefined when the first message was already at the top.
 */
async function loadOlderPage (log: Locator): Promise<{ ms: number } | undefined> {
  await log.evaluate(el => { el.scrollTop = 1 })
  await expect.poll(async () => (await viewOf(log)).atTop, { message: 'the list draws its first rows' }).toBe(true)
  const before = await viewOf(log)
  if (before.first === 1) return undefined
  const oldTop = before.first
  const started = Date.now()
  await log.evaluate(el => { el.scrollTop = 0 })
  await expect.poll(async () => (await viewOf(log)).first, { message: `older messages load above ${label(oldTop)}` })
    .toBeLessThan(oldTop)
  const ms = Date.now() - started
  const after = await viewOf(log)
  // A jump would be a page (thousands of px); scroll offsets snap to whole pixels, so allow a few.
  const moved = Math.abs(after.positions[oldTop]! - (before.positions[oldTop]! - 1))
  expect(moved, `${label(oldTop)} stays where it was (px moved)`).toBeLessThanOrEqual(4)
  expectContiguous(await renderedNumbers(log))
  return { ms }
}

/** Scrolls a list to a fraction of its height and waits until it has drawn rows there. */
async function scrollTo (log: Locator, fraction: number): Promise<void> {
  const height = await log.evaluate((el, f) => {
    el.scrollTop = Math.round(f * (el.scrollHeight - el.clientHeight))
    return el.clientHeight
  }, fraction)
  await expect.poll(async () => Object.values((await viewOf(log)).positions).some(top => top >= 0 && top < height), {
    message: `rows drawn at ${fraction * 100}% of the list`
  }).toBe(true)
}
