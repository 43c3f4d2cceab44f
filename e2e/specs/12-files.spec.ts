// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Journey 12, files: Bob's app is stopped; Alice attaches a photo and a PDF, which wait at Bob's
 * relay. Bob's app starts again: the photo shows its thumbnail and opens in the viewer, the PDF is
 * saved as a download identical to what Alice sent, and Alice sees both delivered. Then, both online
 * and Bob downloading by himself only small files: a larger PDF waits on Bob's card for Download
 * (Alice's says it is kept for later), downloads and saves; a file Alice cancels shows "Cancelled by
 * sender" at Bob's.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { fileRow, makeJpeg } from '../fixtures/files.ts'
import { pairOnRelay } from '../fixtures/flows.ts'
import { expect, test } from '../fixtures/index.ts'

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/** A small PDF: one page saying hello. */
function makePdf (): Buffer {
  const body = '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >> endobj\n' + 'minutes of the meeting '.repeat(200) + '\ntrailer << /Root 1 0 R >>\n%%EOF\n'
  return Buffer.from(body)
}

test('a photo and a PDF to an offline contact wait at the relay, show, open and save when they are back', async ({ sotto }) => {
  const { bob, a, b } = await pairOnRelay(sotto, ['Photos from the trip coming.', 'Send them over!'])

  await bob.stop()
  await expect(a.chat.presence).toContainText('Offline')
  const jpeg = await makeJpeg(a.page)
  const pdf = makePdf()
  await a.page.getByLabel('File to send').setInputFiles([
    { name: 'beach.jpg', mimeType: 'image/jpeg', buffer: jpeg },
    { name: 'minutes.pdf', mimeType: 'application/pdf', buffer: pdf }
  ])
  for (const name of ['beach.jpg', 'minutes.pdf']) {
    await expect(fileRow(a, name).locator('.delivery')).toHaveText(/Sent to relay/, { timeout: 30_000 })
    await expect(fileRow(a, name).locator('.file-state')).toContainText('Handed over', { timeout: 30_000 })
  }

  await bob.start()
  await b.shell.waitReady()
  await b.openChat('Alice')
  const photo = fileRow(b, 'beach.jpg')
  await expect(photo.getByRole('img', { name: 'Preview of beach.jpg' })).toBeVisible({ timeout: 30_000 })
  await expect.poll(async () => await photo.getByRole('img', { name: 'Preview of beach.jpg' }).evaluate(i => (i as HTMLImageElement).naturalWidth)).toBeGreaterThan(0)
  await expect(photo.locator('.file-state')).toContainText('Downloaded', { timeout: 30_000 })
  await photo.getByRole('button', { name: 'Open beach.jpg' }).click()
  const viewer = b.page.getByRole('dialog', { name: 'Photo: beach.jpg' })
  const full = viewer.getByRole('img', { name: 'beach.jpg' })
  await expect(full).toBeVisible()
  await expect.poll(async () => await full.evaluate(i => [(i as HTMLImageElement).naturalWidth, (i as HTMLImageElement).naturalHeight])).toEqual([96, 64])
  await viewer.getByRole('button', { name: 'Close' }).click()

  const document = fileRow(b, 'minutes.pdf')
  await expect(document.locator('.file-state')).toContainText('Downloaded', { timeout: 30_000 })
  const downloading = b.page.waitForEvent('download')
  await document.getByRole('button', { name: 'Save minutes.pdf' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toBe('minutes.pdf')
  expect(sha256(await readFile(await download.path()))).toBe(sha256(pdf))

  for (const name of ['beach.jpg', 'minutes.pdf']) {
    await expect(fileRow(a, name).locator('.delivery')).toHaveText(/Delivered/, { timeout: 30_000 })
  }
})

test('a file over the automatic size waits for Download; one the sender cancels says so', async ({ sotto }) => {
  const { bob, a, b } = await pairOnRelay(sotto, ['The report is big.', 'Send it, I will fetch it when I can.'])
  await bob.api.call('updateSettings', { autoDownloadBytes: 1000 })
  const pdf = makePdf()
  await a.page.getByLabel('File to send').setInputFiles([{ name: 'report.pdf', mimeType: 'application/pdf', buffer: pdf }])

  const waiting = fileRow(b, 'report.pdf')
  await expect(waiting.locator('.file-state')).toContainText('larger than your automatic download size', { timeout: 30_000 })
  await expect(fileRow(a, 'report.pdf').locator('.file-state')).toContainText('Kept for later by the recipient', { timeout: 30_000 })
  await expect(waiting.getByRole('button', { name: 'Save report.pdf' })).toHaveCount(0)
  await waiting.getByRole('button', { name: 'Download report.pdf' }).click()
  await expect(waiting.locator('.file-state')).toContainText('Downloaded', { timeout: 30_000 })
  await expect(fileRow(a, 'report.pdf').locator('.file-state')).toContainText('Handed over', { timeout: 30_000 })
  const downloading = b.page.waitForEvent('download')
  await waiting.getByRole('button', { name: 'Save report.pdf' }).click()
  expect(sha256(await readFile(await (await downloading).path()))).toBe(sha256(pdf))

  await a.page.getByLabel('File to send').setInputFiles([{ name: 'draft.pdf', mimeType: 'application/pdf', buffer: pdf }])
  await expect(fileRow(b, 'draft.pdf').locator('.file-state')).toContainText('larger than your automatic download size', { timeout: 30_000 })
  await fileRow(a, 'draft.pdf').getByRole('button', { name: 'Cancel draft.pdf' }).click()
  await expect(fileRow(a, 'draft.pdf').locator('.file-state')).toContainText('Cancelled')
  await expect(fileRow(b, 'draft.pdf').locator('.file-state')).toContainText('Cancelled by sender', { timeout: 30_000 })
  await expect(fileRow(b, 'draft.pdf').getByRole('button', { name: 'Download draft.pdf' })).toHaveCount(0)
})
