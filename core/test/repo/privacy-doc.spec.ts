// SPDX-License-Identifier: AGPL-3.0-only
/**
 * docs/PRIVACY.md holds the README to its word: the README repeats the privacy claim ("In one
 * sentence: …") word for word, and every test file PRIVACY.md cites as evidence exists.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../../../', import.meta.url))
const read = (path: string): string => readFileSync(join(root, path), 'utf8')
/** Text with every run of whitespace made one space, as Markdown reads it. */
const flat = (text: string): string => text.replace(/\s+/g, ' ')

describe('docs/PRIVACY.md', () => {
  it('is what the README claims, word for word', () => {
    const claim = /^In one sentence: (.+)$/m.exec(read('docs/PRIVACY.md'))?.[1]
    assert.ok(claim != null && claim.length > 40, 'PRIVACY.md states its claim in one sentence')
    assert.ok(flat(read('README.md')).includes(claim), `the README does not say: ${claim}`)
  })

  it('cites only tests that exist', () => {
    const cited = [...read('docs/PRIVACY.md').matchAll(/`([\w/.-]+\.spec\.tsx?)`/g)].map(m => m[1] as string)
    assert.ok(cited.length >= 10)
    for (const path of new Set(cited)) assert.ok(existsSync(join(root, path)), `${path} is cited but does not exist`)
  })
})
