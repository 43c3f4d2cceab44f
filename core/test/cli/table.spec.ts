// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { dispatchLine, runCli } from '../../src/cli/commands.js'
import { COMMANDS, offers } from '../../src/cli/table.js'
import { tempDir } from '../messenger/helpers.js'
import { fakeMessenger } from './fake-messenger.js'
import type { CliIo } from '../../src/cli/commands.js'
import type { Call } from './fake-messenger.js'

const PASSPHRASE = 'a test passphrase'
const RELAY = '/ip4/10.0.0.2/tcp/1/p2p/relay'

/** Each command offered both ways, given both ways with the same values. */
const BOTH_WAYS: Record<string, { argv: string[], json: Record<string, unknown> }> = {
  invite: { argv: ['invite'], json: { cmd: 'invite' } },
  add: { argv: ['add', 'sotto://invite/bob', '--alias', 'bob'], json: { cmd: 'add', invite: 'sotto://invite/bob', alias: 'bob' } },
  contacts: { argv: ['contacts'], json: { cmd: 'contacts' } },
  requests: { argv: ['requests'], json: { cmd: 'requests' } },
  accept: { argv: ['accept', 'bob'], json: { cmd: 'accept', contact: 'bob' } },
  block: { argv: ['block', 'bob'], json: { cmd: 'block', contact: 'bob' } },
  unblock: { argv: ['unblock', 'bob'], json: { cmd: 'unblock', contact: 'bob' } },
  'accept-identity': { argv: ['accept-identity', 'bob'], json: { cmd: 'accept-identity', contact: 'bob' } },
  'keep-identity': { argv: ['keep-identity', 'bob'], json: { cmd: 'keep-identity', contact: 'bob' } },
  send: { argv: ['send', 'bob', 'hi', '--timeout', '0'], json: { cmd: 'send', to: 'bob', text: 'hi' } },
  'send-file': { argv: ['send-file', 'bob', '/tmp/photo.jpg', '--timeout', '0'], json: { cmd: 'send-file', to: 'bob', path: '/tmp/photo.jpg' } },
  save: { argv: ['save', 'm2', '/tmp/saved.pdf'], json: { cmd: 'save', id: 'm2', path: '/tmp/saved.pdf' } },
  history: { argv: ['history', 'bob'], json: { cmd: 'history', contact: 'bob' } },
  read: { argv: ['read', 'bob'], json: { cmd: 'read', contact: 'bob' } },
  reply: { argv: ['reply', 'bob', 'm1', 'yes'], json: { cmd: 'reply', to: 'bob', id: 'm1', text: 'yes' } },
  react: { argv: ['react', 'm1', '👍'], json: { cmd: 'react', id: 'm1', emoji: '👍' } },
  edit: { argv: ['edit', 'm1', 'hello'], json: { cmd: 'edit', id: 'm1', text: 'hello' } },
  delete: { argv: ['delete', 'm1', '--everyone'], json: { cmd: 'delete', id: 'm1', everyone: true } },
  search: { argv: ['search', 'hi', '--in', 'bob'], json: { cmd: 'search', query: 'hi', in: 'bob' } },
  disappearing: { argv: ['disappearing', 'bob', '60'], json: { cmd: 'disappearing', contact: 'bob', seconds: 60 } },
  relays: { argv: ['relays'], json: { cmd: 'relays' } },
  'relays add': { argv: ['relays', 'add', RELAY], json: { cmd: 'relays', add: RELAY } },
  'relays remove': { argv: ['relays', 'remove', RELAY], json: { cmd: 'relays', remove: RELAY } },
  settings: { argv: ['settings'], json: { cmd: 'settings' } },
  'settings exclude': { argv: ['settings', 'exclude', 'ch', 'US'], json: { cmd: 'settings', exclude: ['ch', 'US'] } },
  'settings include': { argv: ['settings', 'include', 'CH'], json: { cmd: 'settings', include: ['CH'] } },
  'settings hide-ip': { argv: ['settings', 'hide-ip', 'on'], json: { cmd: 'settings', 'hide-ip': 'on' } },
  groups: { argv: ['groups'], json: { cmd: 'groups' } },
  'group create': {
    argv: ['group', 'create', 'Friends', '--member', 'bob', '--member', 'carol'],
    json: { cmd: 'group', action: 'create', name: 'Friends', member: ['bob', 'carol'] }
  },
  'group add': { argv: ['group', 'add', 'Friends', 'bob'], json: { cmd: 'group', action: 'add', group: 'Friends', contact: 'bob' } },
  'group remove': { argv: ['group', 'remove', 'Friends', 'bob'], json: { cmd: 'group', action: 'remove', group: 'Friends', member: 'bob' } },
  'group rename': { argv: ['group', 'rename', 'Friends', 'Pals'], json: { cmd: 'group', action: 'rename', group: 'Friends', name: 'Pals' } },
  'group disappearing': { argv: ['group', 'disappearing', 'Friends', '60'], json: { cmd: 'group', action: 'disappearing', group: 'Friends', seconds: 60 } },
  'group leave': { argv: ['group', 'leave', 'Friends'], json: { cmd: 'group', action: 'leave', group: 'Friends' } },
  'guest-link': { argv: ['guest-link', '--page', 'http://127.0.0.1:1/g', '--label', 'Bike'], json: { cmd: 'guest-link', page: 'http://127.0.0.1:1/g', label: 'Bike' } },
  'guest-links': { argv: ['guest-links'], json: { cmd: 'guest-links' } },
  'guest-revoke': { argv: ['guest-revoke', 'link1'], json: { cmd: 'guest-revoke', link: 'link1' } },
  guests: { argv: ['guests'], json: { cmd: 'guests' } },
  'guest-block': { argv: ['guest-block', 'guest-1'], json: { cmd: 'guest-block', guest: 'guest-1' } },
  'guest-invite': { argv: ['guest-invite', 'guest-1'], json: { cmd: 'guest-invite', guest: 'guest-1' } }
}

let dir: { dir: string, cleanup(): Promise<void> }
before(async () => { dir = await tempDir() })
after(async () => { await dir.cleanup() })

/** Runs a command line on a fresh fake; answers the printed lines and the calls made. */
async function viaArgv (argv: string[], input: string[] = []): Promise<{ lines: unknown[], calls: Call[], code: number }> {
  const { messenger, calls } = fakeMessenger()
  let out = ''
  const stdin = new PassThrough()
  stdin.end(input.map(l => l + '\n').join(''))
  const io: CliIo = { out: t => { out += t }, err: () => {}, input: stdin }
  const code = await runCli(['--data', dir.dir, ...argv], { SOTTO_PASSPHRASE: PASSPHRASE }, io, async () => messenger)
  return { lines: out.split('\n').filter(l => l !== '').map(l => JSON.parse(l) as unknown), calls, code }
}

async function viaJson (request: Record<string, unknown>): Promise<{ answer: Record<string, unknown>, calls: Call[] }> {
  const { messenger, calls } = fakeMessenger()
  return { answer: await dispatchLine(messenger, JSON.stringify(request)), calls }
}

describe('sotto command table: both ways alike', () => {
  it('names every command offered both ways in this test', () => {
    const both = COMMANDS.filter(c => offers(c, 'argv') && offers(c, 'json')).map(c => c.name)
    assert.deepEqual(both.sort(), Object.keys(BOTH_WAYS).sort())
    assert.deepEqual(COMMANDS.filter(c => !offers(c, 'json')).map(c => c.name), ['init', 'run'])
  })

  for (const [name, { argv, json }] of Object.entries(BOTH_WAYS)) {
    it(`${name}: the same answer and the same first call both ways`, async () => {
      const command = COMMANDS.find(c => c.name === name)
      const a = await viaArgv(argv)
      const j = await viaJson(json)
      assert.equal(a.code, 0)
      assert.equal(j.answer.event, 'result', JSON.stringify(j.answer))
      assert.deepEqual(command?.output === 'lines' ? a.lines : a.lines[0], j.answer.result)
      if (command?.output !== 'lines') assert.equal(a.lines.length, 1)
      assert.ok(j.calls.length > 0, 'the command reached the messenger')
      assert.deepEqual(a.calls[0], j.calls[0])
      assert.deepEqual(a.calls.at(-1), { method: 'stop', args: [] })
    })
  }

  it('ends the requests with how many older ones were dropped', async () => {
    const { lines } = await viaArgv(['requests'])
    assert.deepEqual(lines.at(-1), { dropped: 3 })
    assert.equal(lines.length, 2, 'one request, then the count')
  })

  it('serves JSON lines in run, answering each with its ref', async () => {
    const { lines, calls } = await viaArgv(['run', '--no-mdns'], [JSON.stringify({ cmd: 'accept', contact: 'bob', ref: 7 }), '{"cmd":"nope"}'])
    assert.deepEqual((lines[0] as Record<string, unknown>).event, 'ready')
    assert.deepEqual(lines[1], { event: 'result', cmd: 'accept', ref: 7, result: (await viaJson({ cmd: 'accept', contact: 'bob' })).answer.result })
    assert.deepEqual(lines[2], { event: 'error', cmd: 'nope', name: 'InvalidInputError', message: 'unknown command "nope"' })
    assert.deepEqual(calls.map(c => c.method), ['accept', 'stop'])
  })
})

describe('sotto command table: refusals and run', () => {
  it('refuses an unknown command both ways', async () => {
    await assert.rejects(viaArgv(['frob']), { name: 'InvalidInputError', message: 'unknown command "frob"; see sotto --help' })
    await assert.rejects(viaArgv(['init', '--name']), { name: 'InvalidInputError' })
    for (const cmd of ['frob', 'init', 'run', 'relays add', 42]) {
      const { answer, calls } = await viaJson({ cmd })
      assert.equal(answer.event, 'error')
      assert.equal(answer.name, 'InvalidInputError')
      assert.equal(answer.message, `unknown command ${JSON.stringify(cmd)}`)
      assert.deepEqual(calls, [])
    }
  })

  it('refuses bad arguments on the command line with a message naming them', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['send', 'bob'], /^send needs a contact and a text$/],
      [['send', 'bob', 'hello', 'world'], /^send takes CONTACT\|GROUP TEXT, not 3 arguments/],
      [['send', 'bob', 'hi', '--alias', 'x'], /^send takes no --alias/],
      [['send', 'bob', 'hi', '--timeout', 'soon'], /^--timeout takes a number of seconds$/],
      [['disappearing', 'bob', 'often'], /^SECONDS takes a number of seconds$/],
      [['relays', 'frob'], /^relays takes add or remove, not "frob"$/],
      [['relays', 'add'], /^relays add needs a relay multiaddr or link$/],
      [['settings', 'exclude'], /^settings exclude needs jurisdiction codes$/],
      [['contacts', '--bogus'], /^Unknown option '--bogus'/]
    ]
    for (const [argv, message] of cases) {
      await assert.rejects(viaArgv(argv), (err: Error) => {
        assert.equal(err.name, 'InvalidInputError', argv.join(' '))
        assert.match(err.message, message)
        return true
      })
    }
  })

  it('refuses bad values in JSON with a message naming the key', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ cmd: 'send', to: 'bob' }, '"text" must be a string'],
      [{ cmd: 'send', to: 3, text: 'hi' }, '"to" must be a string'],
      [{ cmd: 'disappearing', contact: 'bob', seconds: '60' }, '"seconds" must be a number'],
      [{ cmd: 'settings', excludedJurisdictions: 'CH' }, '"excludedJurisdictions" must be a list of strings'],
      [{ cmd: 'add', invite: 'sotto://invite/bob', alias: 5 }, '"alias" must be a string'],
      [{ cmd: 'delete', id: 'm1', everyone: 'yes' }, '"everyone" must be true or false'],
      [{ cmd: 'typing', to: 'bob' }, '"started" must be true or false'],
      [{ cmd: 'settings', readReceipts: 1 }, '"readReceipts" must be true or false']
    ]
    for (const [request, message] of cases) {
      const { answer, calls } = await viaJson({ ...request, ref: 'r' })
      assert.deepEqual(answer, { event: 'error', cmd: request.cmd, ref: 'r', name: 'InvalidInputError', message })
      assert.deepEqual(calls, [])
    }
    assert.deepEqual(await dispatchLine(fakeMessenger().messenger, '[1]'), { event: 'error', name: 'InvalidInputError', message: 'a command is a JSON object' })
  })

  it('turns read receipts and typing indicators on in run, and sends typing there', async () => {
    const settings = await viaJson({ cmd: 'settings', readReceipts: true, typingIndicators: false })
    assert.deepEqual(settings.calls[0], { method: 'updateSettings', args: [{ readReceipts: true, typingIndicators: false }] })
    assert.equal((settings.answer.result as Record<string, unknown>).readReceipts, true)
    const typing = await viaJson({ cmd: 'typing', to: 'bob', started: true })
    assert.deepEqual(typing.calls[0], { method: 'typing', args: ['bob', true] })
  })

  it('passes a messenger\'s own error back the same way on both sides', async () => {
    await assert.rejects(viaArgv(['accept', 'nobody']), { name: 'NotFoundError' })
    const { answer } = await viaJson({ cmd: 'accept', contact: 'nobody' })
    assert.equal(answer.name, 'NotFoundError')
  })
})
