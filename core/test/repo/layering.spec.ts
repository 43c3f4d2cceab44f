// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The layering in docs/CONTRIBUTING.md holds through lint: each layer may import only downwards.
 */
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'node:test'
import { ESLint } from 'eslint'

const root = fileURLToPath(new URL('../../../../', import.meta.url))
const eslint = new ESLint({ cwd: root })

async function lintAs (filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? [])
    .filter(m => m.ruleId === 'no-restricted-imports' || m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === '@typescript-eslint/no-import-type-side-effects')
    .map(m => m.message)
}

describe('layering', () => {
  it('refuses Electron, React and other workspaces in core', async () => {
    assert.equal((await lintAs('core/src/probe.ts', "import { app } from 'electron'\nexport const a = app\n")).length, 1)
    assert.equal((await lintAs('core/src/probe.ts', "import { createDesktopService } from '@sotto/desktop'\nexport const d = createDesktopService\n")).length, 1)
  })

  it('lets desktop/main import core, but not the renderer', async () => {
    assert.deepEqual(await lintAs('desktop/src/main/probe.ts', "import { createMessenger } from '@sotto/core'\nexport const c = createMessenger\n"), [])
    assert.equal((await lintAs('desktop/src/main/probe.ts', "import { App } from '../renderer/app.js'\nexport const a = App\n")).length, 1)
  })

  it('keeps Node and core out of the renderer and preload', async () => {
    assert.equal((await lintAs('desktop/src/renderer/probe.ts', "import { readFile } from 'node:fs/promises'\nexport const r = readFile\n")).length, 1)
    assert.equal((await lintAs('desktop/src/renderer/probe.ts', "import { createMessenger } from '@sotto/core'\nexport const c = createMessenger\n")).length, 1)
    assert.equal((await lintAs('desktop/src/preload/probe.ts', "import { createMessenger } from '@sotto/core'\nexport const c = createMessenger\n")).length, 1)
  })

  it('lets desktop/shared and the renderer import the types of core, and nothing else of it', async () => {
    for (const probe of ['desktop/src/shared/probe.ts', 'desktop/src/renderer/probe.tsx']) {
      assert.deepEqual(await lintAs(probe, "import type { Presence } from '@sotto/core'\nexport type P = Presence\n"), [], probe)
      assert.deepEqual(await lintAs(probe, "export type { Presence } from '@sotto/core'\n"), [], probe)
      assert.equal((await lintAs(probe, "import { createMessenger } from '@sotto/core'\nexport const c = createMessenger\n")).length, 1, probe)
      assert.equal((await lintAs(probe, "export { createMessenger } from '@sotto/core'\n")).length, 1, probe)
      assert.equal((await lintAs(probe, "import { type Presence } from '@sotto/core'\nexport type P = Presence\n")).length, 1, probe)
      assert.equal((await lintAs(probe, "import type { RelayInfo } from '@sotto/core/mailbox'\nexport type R = RelayInfo\n")).length, 1, probe)
      assert.equal((await lintAs(probe, "import type { X } from '@sotto/desktop'\nexport type D = X\n")).length, 1, probe)
      assert.equal((await lintAs(probe, "import type { X } from '../../../core/src/index.js'\nexport type D = X\n")).length, 1, probe)
      assert.equal((await lintAs(probe, "import type { App } from '../main/app.js'\nexport type A = App\n")).length, 1, probe)
      assert.equal((await lintAs(probe, "import { readFile } from 'node:fs/promises'\nexport const r = readFile\n")).length, 1, probe)
    }
    assert.equal((await lintAs('desktop/src/preload/probe.ts', "import type { Presence } from '@sotto/core'\nexport type P = Presence\n")).length, 1)
  })

  it('keeps desktop out of relay-node', async () => {
    assert.equal((await lintAs('relay-node/src/probe.ts', "import { createDesktopService } from '@sotto/desktop'\nexport const d = createDesktopService\n")).length, 1)
  })
})
