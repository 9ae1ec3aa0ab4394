// Measures the HTML report of a search with many queries and --compare: generation time, file
// size, time until the page is drawn in headless Chromium, how many comparison views exist at
// load, and the time to follow the last query's link to its comparison. Results go to stdout as
// Markdown table rows for bench/RESULTS.md.
//
// Usage: node bench/html-find.mjs QUERY_DIR CORPUS_DIR   (needs scripts/install-test-deps.sh;
//        uses target/release/simile unless SIMILE_BIN is set).

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
const [queries, corpus] = process.argv.slice(2);
if (!queries || !corpus) { console.error('usage: node bench/html-find.mjs QUERY_DIR CORPUS_DIR'); process.exit(2); }

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'simile-bench-'));
const out = path.join(work, 'find.html');
const runs = [];
for (let i = 0; i < 3; i++) {
  const t = process.hrtime.bigint();
  try {
    execFileSync(BIN, ['find', queries, '--in', corpus, '--compare', '--format', 'html', '--output', out, '--quiet']);
  } catch (e) {
    if (e.status !== 1) throw e; // 1: some query found nothing
  }
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
const loads = [], jumps = [];
let counts;
for (let i = 0; i < 3; i++) {
  const page = await context.newPage();
  const t = Date.now();
  await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
  await page.waitForSelector('.ranking');
  const wall = Date.now() - t;
  const ready = await page.evaluate(() => performance.getEntriesByName('simile:ready')[0].startTime);
  loads.push({ wall, ready });
  counts = await page.evaluate(() => ({
    queries: document.querySelectorAll('section.query').length,
    comparisons: document.querySelectorAll('section.comparison').length,
    drawn: document.querySelectorAll('section.comparison .toolbar').length,
  }));
  const link = page.locator('section.query a.go.to-comparison').last();
  const href = await link.getAttribute('href');
  const t1 = Date.now();
  await link.click();
  await page.waitForSelector(`${href} .pane-a .row`);
  jumps.push(Date.now() - t1);
  await page.close();
}
await context.close();
fs.rmSync(work, { recursive: true, force: true });

const med = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(`| queries / comparisons on the page | ${counts.queries} / ${counts.comparisons} |`);
console.log(`| generate (find --compare + render), median of 3 | ${med(runs).toFixed(0)} ms |`);
console.log(`| HTML size | ${(size / 1e6).toFixed(1)} MB |`);
console.log(`| load to drawn (navigation start to 'simile:ready'), median of 3 | ${med(loads.map((l) => l.ready)).toFixed(0)} ms |`);
console.log(`| load wall time incl. browser I/O (goto + rankings), median of 3 | ${med(loads.map((l) => l.wall))} ms |`);
console.log(`| comparison views drawn at load | ${counts.drawn} |`);
console.log(`| follow the last query's link until its panes are drawn, median of 3 | ${med(jumps)} ms |`);
