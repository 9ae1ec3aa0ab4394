// What every browser test file shares (not a test itself: node --test runs *.test.mjs only):
// paths and environment, one headless Chromium per file, opening a report page that records
// everything that goes wrong on it, screenshots, and the geometry checks the tests make.
//
// Environment: SIMILE_BIN (default target/debug/simile), CHROMIUM (default /usr/bin/chromium),
// SIMILE_ARTIFACTS (default test-artifacts/browser), SIMILE_CORPUS (the registry corpora, for
// the tests on large real files).

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.SIMILE_BIN || path.join(ROOT, 'target/debug/simile');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const OUT = process.env.SIMILE_ARTIFACTS || path.join(ROOT, 'test-artifacts/browser');
export const FIXTURES = path.join(ROOT, 'crates/simile-render/tests/fixtures');
export const CORPUS = process.env.SIMILE_CORPUS;

/** A scratch directory for one test file, and a browser opened before its tests and closed
    (with the directory removed) after them. Returns the directory and a function opening a
    page: `open(file, readySelector)` -> { page, problems }, where `problems` collects console
    errors, page errors, dialogs and any request that leaves the file (there must be none). */
export function browserFor(prefix) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  let context;
  before(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    assert.ok(fs.existsSync(BIN), `simile binary not found at ${BIN}; build it or set SIMILE_BIN`);
    // A fresh profile, and every background service off: the machine may have no network.
    context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1600, height: 1000 },
      deviceScaleFactor: 1,
      colorScheme: 'light',
    });
  });
  after(async () => {
    if (context) await context.close();
    fs.rmSync(work, { recursive: true, force: true });
  });
  async function open(file, readySelector) {
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e}`));
    page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
    page.on('request', (r) => {
      if (!/^(file|data):/.test(r.url())) problems.push(`network request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector(readySelector);
    return { page, problems };
  }
  return { work, open };
}

/** A screenshot under OUT, once `settle` ms of animation are over. */
export async function shot(page, name, settle = 400) {
  await page.waitForTimeout(settle);
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
}

/** Whether line `line` of pane `side` ('a' or 'b') lies inside its scroller's viewport; the
    panes of the comparison section `id`, or the page's only panes when `id` is null. */
export async function lineVisibleIn(page, id, side, line) {
  return page.evaluate(([id, side, line]) => {
    const scope = id ? `#${id} ` : '';
    const scroller = document.querySelector(`${scope}.pane-${side} .scroller`);
    const row = scroller && scroller.querySelector(`.row[data-line="${line}"]`);
    if (!row) return false;
    const s = scroller.getBoundingClientRect(), r = row.getBoundingClientRect();
    return r.top >= s.top - 1 && r.bottom <= s.bottom + 1;
  }, [id, side, line]);
}

/** Whether the top of element `id` is on screen (a link to it landed), with its position. */
export async function topInView(page, id) {
  const [top, height] = await page.evaluate((id) => [document.getElementById(id).getBoundingClientRect().top, window.innerHeight], id);
  return [top >= -2 && top < height - 100, top];
}

/** A C function whose comments and strings try every way out of an HTML page: script tags, an
    event handler, a closed textarea, a comment and CDATA end, a javascript: URL, a bidi
    override. The tests append code of their own and check that nothing of it runs. */
export const HOSTILE_MAIN = [
  'int main(void) {',
  '  /* </script><script>window.__pwned = 1; alert(1)</script> */',
  '  char *s = "</textarea><img src=x onerror=\\"window.__pwned=2; alert(2)\\">";',
  "  char *t = '<!-- \\' \" & &amp; ]]> <svg onload=alert(3)>';",
  '  char *u = "javascript:alert(4)"; /* \u202e evil \u202c */',
  '  return run(s, t, u);',
  '}',
];
