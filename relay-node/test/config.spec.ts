// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Configuration: precedence flags > environment > file > defaults, validation, redaction, and
 * what the daemon does with a bad configuration.
 */

import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { ConfigError } from '../src/errors.js'
import { configSchema, helpText, loadConfig, redactConfig } from '../src/config.js'
import { CLI, removeDir, tempDir } from './helpers.js'
import type { RelayConfig } from '../src/config.js'

function load (argv: string[], env: Record<string, string> = {}): RelayConfig {
  const loaded = loadConfig(argv, env)
  assert.equal(loaded.kind, 'config')
  return loaded.config
}

function problems (argv: string[], env: Record<string, string> = {}): string {
  try {
    loadConfig(argv, env)
  } catch (err) {
    assert.ok(err instanceof ConfigError)
    return err.message
  }
  assert.fail('expected a ConfigError')
}

describe('relay configuration', () => {
  const dirs: string[] = []
  after(async () => { for (const d of dirs) await removeDir(d) })

  it('has defaults that fit a messenger', () => {
    const c = load(['--data', '/tmp/x', '--jurisdiction', 'DE'])
    assert.equal(c.retention, 14 * 86400)
    assert.equal(c.http, '127.0.0.1:9464')
    assert.ok(c.maxReservations >= 1000, 'far more than js-libp2p\'s 15 reservations')
    assert.ok(c.relayDuration >= 3600 && c.relayData >= 32 * 1024 * 1024, 'a relayed chat lasts, unlike js-libp2p\'s 2 min / 128 KiB')
    assert.equal(c.maxReservationsPerIp, 8)
    assert.ok(c.listen.some(a => a.includes('/ws')) && c.listen.some(a => a.includes('/webrtc-direct')))
  })

  it('takes flags over environment over file over defaults', async () => {
    const dir = await tempDir()
    dirs.push(dir)
    const file = join(dir, 'relay.json')
    await writeFile(file, JSON.stringify({ data: '/from/file', jurisdiction: 'FR', operator: 'file op', maxReservations: 10, contact: 'mailto:file@x', retention: '3d' }))
    const c = load(
      ['--config', file, '--max-reservations', '30', '--listen', '/ip4/127.0.0.1/tcp/1', '--listen', '/ip4/127.0.0.1/tcp/2/ws'],
      { SOTTO_RELAY_MAX_RESERVATIONS: '20', SOTTO_RELAY_OPERATOR: 'env op', SOTTO_RELAY_ANNOUNCE: '/dns4/relay.example.org/tcp/443/wss, /ip4/1.2.3.4/tcp/4001', SOTTO_RELAY_MAX_BYTES_PER_MAILBOX: '2MiB' }
    )
    assert.equal(c.maxReservations, 30, 'flag beats environment and file')
    assert.equal(c.operator, 'env op', 'environment beats file')
    assert.equal(c.contact, 'mailto:file@x', 'file beats defaults')
    assert.equal(c.data, '/from/file')
    assert.equal(c.retention, 3 * 86400)
    assert.equal(c.maxBytesPerMailbox, 2 * 1024 * 1024)
    assert.deepEqual(c.listen, ['/ip4/127.0.0.1/tcp/1', '/ip4/127.0.0.1/tcp/2/ws'])
    assert.deepEqual(c.announce, ['/dns4/relay.example.org/tcp/443/wss', '/ip4/1.2.3.4/tcp/4001'])
    assert.equal(c.maxConnections, 8192, 'untouched keys keep their defaults')
    const viaEnv = load([], { SOTTO_RELAY_CONFIG: file })
    assert.equal(viaEnv.maxReservations, 10)
  })

  it('names every problem, where to fix it', async () => {
    const msg = problems(['--data', '/x', '--retention', '31d', '--jurisdiction', 'germany', '--listen', 'not-a-multiaddr'])
    assert.match(msg, /retention \(--retention, SOTTO_RELAY_RETENTION\)/)
    assert.match(msg, /jurisdiction \(--jurisdiction, SOTTO_RELAY_JURISDICTION\): an ISO 3166-1 alpha-2 code/)
    assert.match(msg, /listen/)
    assert.match(problems([]), /data .*jurisdiction|jurisdiction[\s\S]*data|data[\s\S]*jurisdiction/)
    assert.match(problems(['--data', '/x', '--jurisdiction', 'DE', '--bogus', '1']), /bogus/)
    const dir = await tempDir()
    dirs.push(dir)
    await writeFile(join(dir, 'bad.json'), '{"data": "/x", "jurisdiction": "DE", "maxReservatons": 5}')
    assert.match(problems(['--config', join(dir, 'bad.json')]), /maxReservatons/)
    await writeFile(join(dir, 'broken.json'), '{ nope')
    assert.match(problems(['--config', join(dir, 'broken.json')]), /broken\.json/)
    assert.match(problems(['--data', '/x', '--jurisdiction', 'DE', '--http', '0.0.0.0']), /http/)
    assert.match(problems(['--data', '/x', '--jurisdiction', 'DE', '--web-url', 'https://relay.example.org/g']), /webUrl \(--web-url, SOTTO_RELAY_WEB_URL\)/)
    assert.match(problems(['--data', '/x', '--jurisdiction', 'DE', '--web-url', 'ftp://relay.example.org']), /web-url/)
    assert.equal(load(['--data', '/x', '--jurisdiction', 'DE', '--web-url', 'https://relay.example.org/']).webUrl, 'https://relay.example.org')
  })

  it('hides secrets when logged, and documents every key', () => {
    const c = load(['--data', '/x', '--jurisdiction', 'DE', '--metrics-token', 'a-long-secret-token-123'])
    assert.equal(c.metricsToken, 'a-long-secret-token-123')
    assert.equal(redactConfig(c).metricsToken, '[hidden]')
    assert.equal(JSON.stringify(redactConfig(c)).includes('a-long-secret'), false)
    const help = helpText()
    for (const flag of ['--data', '--jurisdiction', '--max-reservations-per-ip', 'SOTTO_RELAY_RELAY_DURATION', '--config']) assert.ok(help.includes(flag), flag)
  })

  it('has every key in the operator\'s guide, with its flag and variable', async () => {
    const guide = await readFile(new URL('../../../docs/relay.md', import.meta.url), 'utf8')
    for (const key of Object.keys(configSchema.shape)) {
      const flag = '--' + key.replace(/[A-Z]/g, c => '-' + c.toLowerCase())
      const env = 'SOTTO_RELAY_' + key.replace(/[A-Z]/g, c => '_' + c).toUpperCase()
      assert.ok(guide.includes(`| \`${flag}\` | \`${env}\` | \`${key}\` |`), `docs/relay.md lists ${flag}`)
    }
  })

  it('makes the daemon exit 2 with a clear message on bad configuration', () => {
    const run = spawnSync(process.execPath, [CLI, '--data', '/tmp/x'], { encoding: 'utf8', timeout: 20_000 })
    assert.equal(run.status, 2)
    assert.match(run.stderr, /sotto-relay: invalid configuration:[\s\S]*jurisdiction/)
    const version = spawnSync(process.execPath, [CLI, '--version'], { encoding: 'utf8', timeout: 20_000 })
    assert.match(version.stdout, /^sotto-relay\/\d+\.\d+\.\d+/)
  })
})
