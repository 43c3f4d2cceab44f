// SPDX-License-Identifier: AGPL-3.0-only
// Takes a screenshot of each main screen: two real headless instances (Ada and Bob) talk to each
// other over loopback, driven through Debian's Chromium. Writes docs/screenshots/*.png.
//
//   node desktop/scripts/screenshots.mjs [outDir]
import { spawn } from 'node:child_process'
import { mkdtemp, mkdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const desktop = fileURLToPath(new URL('../', import.meta.url))
const out = process.argv[2] ?? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
const cli = join(desktop, 'dist', 'src', 'main', 'cli.js')
const children = []

/** Starts a headless instance; resolves with its URL once it printed the ready line. */
async function startInstance (dataDir) {
  const child = spawn(process.execPath, [cli, '--headless', '--port', '0', '--data', dataDir, '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0'], {
    env: { ...process.env, SOTTO_PASSPHRASE: 'screenshots only passphrase', SOTTO_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  children.push(child)
  const lines = createInterface({ input: child.stdout })
  for await (const line of lines) {
    const event = JSON.parse(line)
    if (event.event === 'ready') return event.url
  }
  throw new Error('instance exited before it was ready')
}

const dir = await mkdtemp(join(tmpdir(), 'sotto-shots-'))
let browser
try {
  await mkdir(out, { recursive: true })
  const [adaUrl, bobUrl] = await Promise.all([startInstance(join(dir, 'ada')), startInstance(join(dir, 'bob'))])
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
    // Playwright gives every launch a fresh, temporary profile of its own.

  })
  const context = await browser.newContext({ viewport: { width: 1200, height: 760 }, colorScheme: 'light' })
  const errors = []
  const shot = async (page, name) => { await page.screenshot({ path: join(out, `${name}.png`) }) }
  const open = async url => {
    const page = await context.newPage()
    page.on('pageerror', err => { errors.push(err.message) })
    page.on('console', msg => { if (msg.type() === 'error') errors.push(msg.text()) })
    await page.goto(url)
    return page
  }

  // Onboarding.
  const ada = await open(adaUrl)
  await ada.getByLabel('Your name').fill('Ada Lovelace')
  await shot(ada, '01-onboarding')
  await ada.getByRole('button', { name: 'Create my identity' }).click()
  await ada.getByRole('navigation', { name: 'Sotto' }).waitFor()

  // My invite.
  await ada.getByRole('button', { name: 'My invite' }).click()
  const link = await ada.getByRole('textbox', { name: 'Invite link' }).inputValue()
  await ada.getByRole('img', { name: 'QR code of your invite link' }).waitFor()
  await shot(ada, '02-invite')

  // Bob adds Ada and writes.
  const bob = await open(bobUrl)
  await bob.getByLabel('Your name').fill('Bob')
  await bob.getByRole('button', { name: 'Create my identity' }).click()
  await bob.getByRole('navigation', { name: 'Sotto' }).getByRole('button', { name: 'Add contact' }).click()
  await bob.getByLabel('Their invite link').fill(link)
  await shot(bob, '03-add-contact')
  await bob.getByRole('form', { name: 'Add a contact' }).getByRole('button', { name: 'Add contact' }).click()
  await bob.getByRole('heading', { level: 2, name: 'Ada Lovelace' }).waitFor()
  const composer = bob.getByRole('textbox', { name: 'Message', exact: true })
  await composer.fill('Hi Ada! Bob here, from the workshop. Is this the right link?')
  await composer.press('Enter')
  await bob.getByText('Delivered').first().waitFor({ timeout: 30_000 })

  // Ada sees a request.
  await ada.getByRole('navigation', { name: 'Sotto' }).getByRole('button', { name: /Requests/ }).click()
  await ada.getByText('Hi Ada! Bob here').waitFor({ timeout: 30_000 })
  await shot(ada, '04-requests')
  await ada.getByRole('button', { name: /^Accept/ }).click()
  await ada.getByRole('heading', { level: 2, name: 'Bob' }).waitFor()

  // A conversation.
  const adaComposer = ada.getByRole('textbox', { name: 'Message', exact: true })
  for (const text of ['Hello Bob, yes, this is me.', 'Let us compare safety numbers before we go on.']) {
    await adaComposer.fill(text)
    await adaComposer.press('Enter')
  }
  await ada.getByText('Delivered').last().waitFor({ timeout: 30_000 })
  await bob.getByRole('log').getByText('Let us compare safety numbers').waitFor({ timeout: 30_000 })
  await bob.getByRole('textbox', { name: 'Message', exact: true }).fill('Sure, see https://example.org/safety for how it works.')
  await bob.getByRole('textbox', { name: 'Message', exact: true }).press('Enter')
  await ada.getByRole('log').getByText('see https://example.org/safety').waitFor({ timeout: 30_000 })
  await ada.getByRole('combobox', { name: 'Disappearing messages' }).selectOption('604800')
  await ada.getByText('Messages disappear 1 week after they are read.').waitFor()
  await shot(ada, '05-chat')

  // Safety number.
  await ada.getByRole('button', { name: 'Safety number' }).click()
  await ada.getByRole('dialog', { name: 'Safety number' }).waitFor()
  await shot(ada, '06-safety-number')
  await ada.getByRole('button', { name: 'Mark as verified' }).click()
  await ada.getByText('Verified', { exact: true }).first().waitFor()
  await ada.keyboard.press('Escape')

  // Conversation list in Bob's window, with an unread message.
  await bob.getByRole('navigation', { name: 'Sotto' }).getByRole('button', { name: 'Chats' }).click()
  await shot(bob, '07-conversations')

  // Settings, then the chat in the dark theme.
  await ada.getByRole('navigation', { name: 'Sotto' }).getByRole('button', { name: 'Settings' }).click()
  await ada.getByLabel('Country code to exclude').fill('XX')
  await shot(ada, '08-settings')
  await ada.getByRole('radio', { name: 'Dark' }).check()
  await ada.getByRole('navigation', { name: 'Sotto' }).getByRole('button', { name: 'Chats' }).click()
  await ada.getByRole('button', { name: /Bob/ }).click()
  await ada.getByRole('log').waitFor()
  await shot(ada, '09-chat-dark')
  await ada.getByRole('radio', { name: 'Same as the system' }).count()

  if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`)
  process.stdout.write(`screenshots written to ${out}\n`)
} catch (err) {
  if (process.env.SOTTO_SHOTS_DEBUG != null && browser != null) {
    for (const [i, page] of browser.contexts().flatMap(c => c.pages()).entries()) await page.screenshot({ path: join(tmpdir(), `sotto-shot-failure-${i}.png`) })
  }
  throw err
} finally {
  await browser?.close()
  for (const child of children) child.kill('SIGTERM')
  await Promise.all(children.map(c => new Promise(resolve => { if (c.exitCode != null) resolve(); else c.once('exit', resolve) })))
  await rm(dir, { recursive: true, force: true })
}
