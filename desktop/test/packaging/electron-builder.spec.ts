// SPDX-License-Identifier: AGPL-3.0-only
/**
 * electron-builder cannot package here (no Electron binary), so its configuration is checked with
 * electron-builder's own loader and schema validator, and for what the packaging must do.
 */
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'node:test'

const require = createRequire(import.meta.url)
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

/** `files` as electron-builder normalises it: strings, or file sets with a filter. */
type Files = Array<string | { filter?: string[] }>

function patterns (files: Files | undefined): string[] {
  return (files ?? []).flatMap(f => typeof f === 'string' ? [f] : f.filter ?? [])
}

interface Config {
  appId: string
  directories: { app: string, buildResources: string }
  files: Files
  asarUnpack: string[]
  electronFuses: Record<string, boolean>
  linux: { target: string[], files: Files }
  mac: { target: string[], files: Files }
  win: { target: string[], files: Files }
  publish: unknown
  [key: string]: unknown
}

const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig: (projectDir: string, configPath: string, fromOptions: null) => Promise<Config>
  validateConfiguration: (config: unknown, logger: unknown) => Promise<void>
}
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }

describe('electron-builder.yml', () => {
  it('is valid for electron-builder\'s schema, which refuses unknown options', async () => {
    const config = await getConfig(ROOT, 'electron-builder.yml', null)
    await validateConfiguration(config, new DebugLogger(false))
    await assert.rejects(validateConfiguration({ ...config, publsh: null }, new DebugLogger(false)), /publsh|additional/i)
  })

  it('packages the desktop app for every platform, unpacks native modules and publishes nothing', async () => {
    const config = await getConfig(ROOT, 'electron-builder.yml', null)
    assert.equal(config.appId, 'org.sotto.desktop')
    assert.equal(config.directories.app, 'desktop')
    assert.deepEqual(config.linux.target, ['AppImage', 'deb'])
    assert.deepEqual(config.mac.target, ['dmg'])
    assert.deepEqual(config.win.target, ['nsis'])
    assert.equal(config.publish, null)
    assert.ok(config.asarUnpack.includes('**/*.node'))
    for (const native of ['@signalapp/libsignal-client', 'classic-level', '@node-datachannel']) {
      assert.ok(config.asarUnpack.some(p => p.includes(native)), `${native} is unpacked`)
    }
    assert.equal(config.electronFuses.runAsNode, false)
    assert.equal(config.electronFuses.onlyLoadAppFromAsar, true)
    assert.equal(config.electronFuses.enableNodeOptionsEnvironmentVariable, false)
    assert.equal(config.electronFuses.enableNodeCliInspectArguments, false)
    assert.equal(config.electronFuses.grantFileProtocolExtraPrivileges, false)
    const others = { linux: ['darwin', 'win32'], mac: ['linux', 'win32'], win: ['darwin', 'linux'] } as const
    for (const [platform, foreign] of Object.entries(others)) {
      const files = patterns(config[platform as 'linux' | 'mac' | 'win'].files).join('\n')
      for (const os of foreign) assert.match(files, new RegExp(`libsignal-client/prebuilds/\\{[^}]*${os}`), `${platform} drops ${os} libsignal prebuilds`)
      assert.match(files, /@node-datachannel\/!\(/, `${platform} keeps only its node-datachannel prebuild`)
    }
    const pkg = require('../../../package.json') as { main: string }
    assert.ok(patterns(config.files).some(f => pkg.main.startsWith(f.replace('**/*.js', ''))), 'the main entry is packaged')
  })
})
