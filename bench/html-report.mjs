// Measures the HTML report on a large pair: generation time, file size, time until the page is
// drawn in headless Chromium, scrolling and region jumps. Results go to stdout as a Markdown
// table row set for bench/RESULTS.md.
//
// Usage: node bench/html-report.mjs A B   (needs scripts/install-test-deps.sh; uses
//        target/release/simile unless SIMILE_BIN is set). NODE_PATH is set by the script.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(ROOT, 'tests/browser/package.json'));
const { chromium } = require('playwright-core');
const BIN = process.env.SIMILE_BIN || path.join(ROOT, 'target/release/simile');
const [a, b] = process.argv.slice(2);
if (!a || !b) { console.error('usage: node bench/html-report.mjs A B'); process.exit(2); }

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'simile-bench-'));
const out = path.join(work, 'report.html');
const runs = [];
for (let i = 0; i < 3; i++) {
  const t = process.hrtime.bigint();
  execFileSync(BIN, ['compare', a, b, '--format', 'html', '--output', out, '--quiet']);
  runs.push(Number(process.hrtime.bigint() - t) / 1e6);
}
const size = fs.statSync(out).size;

const context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1600, height: 1000 },
});
const loads = [], scrolls = [], jumps = [];
for (let i = 0; i < 3; i++) {
  const page = await context.newPage();
  const t = Date.now();
  await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
  await page.waitForSelector('.pane-a .row');
  const wall = Date.now() - t;
  const ready = await page.evaluate(() => performance.getEntriesByName('simile:ready')[0].startTime);
  loads.push({ wall, ready });
  // 200 scroll steps of 1,000 lines through pane A, two frames each: time per step.
  scrolls.push(await page.evaluate(async () => {
    const s = document.querySelector('.pane-a .scroller');
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const t0 = performance.now();
    for (let k = 0; k < 200; k++) { s.scrollTop = (k * 1000 * 20) % s.scrollHeight; await frame(); }
    return (performance.now() - t0) / 200;
  }));
  // Jump to 20 regions spread over the file through the list.
  jumps.push(await page.evaluate(async () => {
    const items = [...document.querySelectorAll('.region-list button')];
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const t0 = performance.now();
    for (let k = 0; k < 20; k++) { items[Math.floor(k * items.length / 20)].click(); await frame(); }
    return (performance.now() - t0) / 20;
  }));
  await page.close();
}
await context.close();
fs.rmSync(work, { recursive: true, force: true });

const med = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(`| generate (compare + render), median of 3 | ${med(runs).toFixed(0)} ms |`);
console.log(`| HTML size | ${(size / 1e6).toFixed(1)} MB |`);
console.log(`| load to drawn (navigation start to 'simile:ready'), median of 3 | ${med(loads.map((l) => l.ready)).toFixed(0)} ms |`);
console.log(`| load wall time incl. browser I/O (goto + first rows), median of 3 | ${med(loads.map((l) => l.wall))} ms |`);
console.log(`| scroll step (1,000 lines, 2 frames), mean | ${med(scrolls).toFixed(1)} ms |`);
console.log(`| region jump via list (2 frames), mean | ${med(jumps).toFixed(1)} ms |`);
