// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'node:test'

const DOC = fileURLToPath(new URL('../../../../docs/PROTOCOL.md', import.meta.url))
const SCHEMA = fileURLToPath(new URL('../../../src/groups/groups.proto', import.meta.url))

describe('groups in docs/PROTOCOL.md', () => {
  it('quotes the groups schema as it is', () => {
    const schema = readFileSync(SCHEMA, 'utf8')
    const quoted = schema.slice(schema.indexOf('syntax')).replace(/\s+/g, '')
    assert.ok(readFileSync(DOC, 'utf8').replace(/\s+/g, '').includes(quoted))
  })
})
