#!/usr/bin/env node
// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `npm run reliability [-- --long] [-- --figures FILE] [-- NAME...]`: runs the scenarios one
 * after another (they measure time and share two cores), the short form by default, the long
 * form with `--long`; then prints every figure as a Markdown table. NAME picks scenarios by file
 * name (`soak`, `relay-abuse`, …). Needs root (network namespaces) and `ip`/`tc`.
 */

import { spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FIGURES_ENV, LONG_ENV } from './scenario.js'
import type { Figure } from './scenario.js'

/** The scenarios, in the order they run. */
export const SCENARIOS = [
  'rig', 'regressions', 'crash-consistency', 'partition-heal', 'relay-redundancy', 'slow-lossy',
  'files-slow-lossy', 'relay-abuse', 'fuzz-handlers', 'hide-ip', 'mdns-lan', 'nat-hole-punch', 'soak'
]

const testDir = fileURLToPath(new URL('../test/', import.meta.url))

/** The figures file as a Markdown table, one section per scenario. */
export function figuresTable (lines: Array<Figure & { form?: string }>): string {
  const out: string[] = []
  let scenario = ''
  for (const f of lines) {
    if (f.scenario !== scenario) {
      scenario = f.scenario
      out.push('', `### ${scenario}`, '', '| figure | value | goal |', '| --- | --- | --- |')
    }
    const value = Number.isInteger(f.value) ? String(f.value) : Number(f.value.toPrecision(3)).toString()
    out.push(`| ${f.name} | ${value} ${f.unit} | ${f.goal ?? ''} |`.replaceAll('\n', ' '))
  }
  return out.join('\n')
}

async function main (argv: string[]): Promise<number> {
  const long = argv.includes('--long')
  const at = argv.indexOf('--figures')
  const keep = at >= 0 ? argv[at + 1] : undefined
  const names = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--figures')
  const unknown = names.filter(n => !SCENARIOS.includes(n))
  if (unknown.length > 0) {
    process.stderr.write(`unknown scenario ${unknown.join(', ')}; scenarios: ${SCENARIOS.join(', ')}\n`)
    return 2
  }
  if (process.getuid?.() !== 0) {
    process.stderr.write('the reliability rig builds network namespaces: run it as root\n')
    return 2
  }
  const files = (names.length > 0 ? SCENARIOS.filter(s => names.includes(s)) : SCENARIOS).map(s => join(testDir, `${s}.spec.js`))
  const missing = files.filter(f => !existsSync(f))
  if (missing.length > 0) {
    process.stderr.write(`not built: ${missing.join(', ')} (run npm run build)\n`)
    return 2
  }
  const figures = keep ?? join(tmpdir(), `sotto-reliability-figures-${process.pid}.jsonl`)
  if (keep == null) rmSync(figures, { force: true })
  const started = Date.now()
  process.stdout.write(`reliability: ${long ? 'long' : 'short'} form, ${files.length} scenario files\n`)
  // One test run per file: given several, `node --test` would not keep this order.
  let code = 0
  for (const file of files) {
    const exit = await new Promise<number>(resolve => {
      const child = spawn(process.execPath, ['--test', file], {
        stdio: 'inherit',
        env: { ...process.env, [LONG_ENV]: long ? '1' : '0', [FIGURES_ENV]: figures }
      })
      child.on('exit', (c, signal) => resolve(c ?? (signal != null ? 1 : 0)))
    })
    if (exit !== 0) code = exit
  }
  if (existsSync(figures)) {
    const lines = readFileSync(figures, 'utf8').split('\n').filter(l => l.trim() !== '').map(l => JSON.parse(l) as Figure)
    process.stdout.write(`\nFigures (${long ? 'long' : 'short'} form, ${Math.round((Date.now() - started) / 1000)} s):\n${figuresTable(lines)}\n`)
    if (keep == null) rmSync(figures, { force: true })
  }
  return code
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2))
}
