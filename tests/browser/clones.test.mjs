// End-to-end tests of the `simile clones` HTML report in headless Chromium, set up as
// report.test.mjs is (run with scripts/test-browser.sh): reports are generated with the real
// binary, opened as file:// pages that fail on any console error, page error, dialog or network
// request, clicked like a person would, and screenshots land under test-artifacts/browser/.
//
// Environment: SIMILE_BIN (default target/debug/simile), CHROMIUM (default /usr/bin/chromium),
// SIMILE_ARTIFACTS (default test-artifacts/browser), SIMILE_CORPUS (enables the OpenSSL test:
// 250 listed pairs of crypto/ 1.1.1 against 3.6).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, CORPUS, FIXTURES, browserFor, HOSTILE_MAIN, lineVisibleIn, shot, topInView } from './harness.mjs';

const { work: WORK, open: openPage } = browserFor('simile-browser-clones-');

/** Run `simile clones ARGS --format FORMAT --output OUT` in `cwd`; a failed gate (exit 1) is a
    normal outcome. */
function clones(cwd, args, format, out) {
  try {
    execFileSync(BIN, ['clones', ...args, '--quiet', '--format', format, '--output', out], { cwd, stdio: 'pipe' });
  } catch (e) {
    if (e.status !== 1) throw e;
  }
  return out;
}

/** The HTML page and the JSON report of one run. */
function reports(cwd, args, name) {
  const html = clones(cwd, args, 'html', path.join(WORK, `${name}.html`));
  const json = JSON.parse(fs.readFileSync(clones(cwd, args, 'json', path.join(WORK, `${name}.json`)), 'utf8'));
  return { html, report: json.clones };
}

/** Open a clones page (see harness.mjs). */
const open = (file) => openPage(file, '.pairs .ranking');

/** The region a pair's view opens on: its largest. */
function largest(pair) {
  return pair.comparison.regions.reduce((best, r) => (r.matched_tokens > best.matched_tokens ? r : best));
}

/** A tree whose one pair shares a function deep inside A with the top of B: a view that opened
    at line 1 would show neither copy. */
function deepTree() {
  const dir = path.join(WORK, 'deep');
  fs.mkdirSync(dir, { recursive: true });
  const shared = fs.readFileSync(path.join(FIXTURES, 'uncompr/a/uncompr.c'), 'utf8');
  // Fillers of different shapes, so that they match nothing, even renamed.
  const functions = Array.from({ length: 240 }, (_, i) => `static int f${i}(int x) { return x * ${i + 3} + ${7 * i + 1}; }`);
  const strings = Array.from({ length: 200 }, (_, i) => `static const char *s${i} = "message ${i}";`);
  fs.writeFileSync(path.join(dir, 'a.c'), `${functions.join('\n')}\n${shared}`);
  fs.writeFileSync(path.join(dir, 'b.c'), `${shared}\n${strings.join('\n')}\n`);
  return dir;
}

test('a clones page draws its picture, and a pair opens side by side on its largest region', { timeout: 120000 }, async () => {
  const dir = deepTree();
  // The files share a third of their code: a cluster at 10%.
  const { html, report } = reports(dir, ['.', '--cluster-similarity', '0.1'], 'clones-deep');
  assert.equal(report.pairs.length, 1, 'one pair');
  const pair = report.pairs[0];
  const region = largest(pair);
  assert.ok(region.a.start_line > 200, `the copy is deep in A (line ${region.a.start_line})`);
  const { page, problems } = await open(html);

  // The picture: a cluster of the two files, a cell per direction of the pair.
  assert.equal(await page.locator('.cluster-graph circle.node').count(), 2);
  assert.equal(await page.locator('.cluster-graph line.edge').count(), 1);
  assert.equal(await page.locator('.heat rect.cell').count(), 2);
  await shot(page, 'clones-deep');

  // Clicking the pair leads to its view, with both files and both copies in sight.
  await page.locator('.pairs a.pair-link').first().click();
  await page.waitForSelector('#cmp-1 .pane-a .row');
  await page.waitForTimeout(300);
  const [inView, top] = await topInView(page, 'cmp-1');
  assert.ok(inView, `the pair's view is on screen (top ${top})`);
  assert.deepEqual(await page.locator('#cmp-1 .pane-head .path').allInnerTexts(), [pair.a, pair.b]);
  assert.ok(await lineVisibleIn(page, 'cmp-1', 'a', region.a.start_line), `A line ${region.a.start_line} in view`);
  assert.ok(await lineVisibleIn(page, 'cmp-1', 'b', region.b.start_line), `B line ${region.b.start_line} in view`);
  assert.match(await page.locator('#cmp-1 .region-list button.sel').innerText(), new RegExp(`#${region.id}\\b`));
  await shot(page, 'clones-deep-pair');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the tree fixture: every edge and cell of the picture leads to its pair', { timeout: 180000 }, async () => {
  const { html, report } = reports(FIXTURES, ['clones/tree', '--renamed', '--fragments', '--fail-over', '50'], 'clones-tree');
  const { page, problems } = await open(html);
  const members = report.clusters.reduce((n, k) => n + k.members.length, 0);
  assert.equal(await page.locator('.cluster-graph circle.node').count(), members);
  assert.equal(await page.locator('.heat rect.cell').count(), 2 * report.pairs.length);
  assert.equal(await page.locator('.pairs tbody tr').count(), report.pairs.length);
  assert.match(await page.locator('.gate').innerText(), /Duplication gate failed/);
  // Bars as wide as the scores.
  for (const [i, p] of report.pairs.entries()) {
    const widths = await page.locator('.pairs tbody tr').nth(i).evaluate((tr) =>
      [...tr.querySelectorAll('.metric .fill')].map((f) => parseFloat(f.style.width)));
    [p.similarity, p.coverage_a, p.coverage_b].forEach((s, k) =>
      assert.ok(Math.abs(widths[k] - s * 100) < 0.01, `pair ${p.rank} bar ${k}`));
  }
  await shot(page, 'clones-tree');

  // An edge of the graph: the pair of the copied Django function.
  const django = report.pairs.find((p) => p.a.endsWith('auth_helpers.py'));
  const edge = page.locator(`.cluster-graph a[href="#cmp-${django.rank}"] line.edge`);
  await edge.scrollIntoViewIfNeeded();
  const box = await edge.boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector(`#cmp-${django.rank} .pane-a .row`);
  await page.waitForTimeout(300);
  assert.ok((await topInView(page, `cmp-${django.rank}`))[0], 'the edge led to its pair');
  const region = largest(django);
  assert.ok(await lineVisibleIn(page, `cmp-${django.rank}`, 'a', region.a.start_line));
  assert.ok(await lineVisibleIn(page, `cmp-${django.rank}`, 'b', region.b.start_line));
  await shot(page, 'clones-tree-edge');

  // A cell of the heatmap: the renamed copy; its view marks the renamed names.
  const renamed = report.pairs.find((p) => p.comparison.regions.some((r) => r.kind === 'renamed'));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator(`.heat a[href="#cmp-${renamed.rank}"] rect.cell`).first().click();
  await page.waitForSelector(`#cmp-${renamed.rank} .pane-a .row`);
  await page.waitForTimeout(300);
  assert.ok((await topInView(page, `cmp-${renamed.rank}`))[0], 'the cell led to its pair');
  assert.ok(await page.locator(`#cmp-${renamed.rank} .pane-a mark.rn`).count() > 0, 'renamed names are marked');
  // ... and a click on A's copy brings B's partner line into view.
  const r = largest(renamed);
  await page.locator(`#cmp-${renamed.rank} .pane-a .row[data-line="${r.a.start_line + 2}"]`).click();
  await page.waitForTimeout(300);
  const landed = await page.evaluate((id) => +document.querySelector(`#${id} .pane-b .row.flash`)?.dataset.line, `cmp-${renamed.rank}`);
  assert.ok(landed >= r.b.start_line && landed <= r.b.end_line, `landed on B line ${landed}`);
  assert.ok(await lineVisibleIn(page, `cmp-${renamed.rank}`, 'b', landed));
  await shot(page, 'clones-tree-renamed');

  // Blocks: the one within a file says so; the others lead to their pair.
  await page.locator('#blocks').scrollIntoViewIfNeeded();
  assert.equal(await page.locator('#blocks tbody tr').count(), report.fragments.blocks.length);
  assert.match(await page.locator('#blocks').innerText(), /within the file/);
  await shot(page, 'clones-tree-blocks');
  assert.deepEqual(problems, []);
  await page.close();
});

test('submissions: the heatmap is of submissions and leads to their file pairs', { timeout: 120000 }, async () => {
  const { html, report } = reports(FIXTURES, ['clones/submissions', '--submissions', '--ignore', 'clones/template'], 'clones-submissions');
  const { page, problems } = await open(html);
  // A label's text after its <title> (which holds the whole name).
  const labels = await page.evaluate(() => [...document.querySelectorAll('.heat text.axis-label')].map((t) => t.lastChild.textContent));
  for (const name of ['alice', 'bob', 'carol']) assert.ok(labels.includes(name), `${name} labels the heatmap: ${labels}`);
  const best = report.submissions.pairs[0];
  assert.equal(await page.locator('#submissions tbody tr').count(), report.submissions.pairs.length);
  await page.locator(`.heat a[href="#cmp-${best.file_pairs[0]}"] rect.cell`).first().click();
  await page.waitForSelector(`#cmp-${best.file_pairs[0]} .pane-a .row`);
  await page.waitForTimeout(300);
  assert.ok((await topInView(page, `cmp-${best.file_pairs[0]}`))[0]);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'clones-submissions');
  assert.deepEqual(problems, []);
  await page.close();
});

test('hostile file names and code in a clones page are shown as text and never run', { timeout: 120000 }, async () => {
  const dir = path.join(WORK, 'hostile');
  fs.mkdirSync(dir, { recursive: true });
  const code = [
    ...HOSTILE_MAIN,
    'int helper(int a, int b) {',
    '  int total = a * 31 + b * 17;',
    '  total = total ^ (total >> 3);',
    '  for (int i = 0; i < a; i++) total += table[i % 7] * b - i;',
    '  return total + 0x5bd1e995;',
    '}',
    '',
  ].join('\n');
  const names = ['<img src=x onerror=alert(5)>.c', '"><svg onload=alert(6)>\'javascript:alert(7).c', '[x](javascript:alert(8)).c'];
  names.forEach((n, i) => fs.writeFileSync(path.join(dir, n), code + 'int pad;\n'.repeat(i)));
  const { html, report } = reports(dir, ['.'], 'clones-hostile');
  assert.ok(report.pairs.length >= 3, 'the hostile files pair up');
  const { page, problems } = await open(html);
  await page.locator('.pairs a.pair-link').first().click();
  await page.waitForSelector('#cmp-1 .pane-a .row');
  await page.waitForTimeout(300);
  const facts = await page.evaluate(() => ({
    pwned: window.__pwned,
    scripts: document.scripts.length,
    imgs: document.querySelectorAll('img').length,
    svgs: [...document.querySelectorAll('svg')].filter((s) => !s.closest('.dotplot, .picture')).length,
    textareas: document.querySelectorAll('textarea').length,
    paths: [...document.querySelectorAll('#cmp-1 .pane-head .path')].map((p) => p.textContent),
    line2: document.querySelector('#cmp-1 .pane-a .row[data-line="2"] .tx').textContent,
    hrefs: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
  }));
  assert.equal(facts.pwned, undefined);
  assert.equal(facts.scripts, 2);
  assert.equal(facts.imgs, 0);
  assert.equal(facts.svgs, 0);
  assert.equal(facts.textareas, 0);
  assert.deepEqual(facts.paths.map((p) => p.replace(/^\.\//, '')).sort(), [report.pairs[0].a, report.pairs[0].b].map((p) => p.replace(/^\.\//, '')).sort());
  assert.equal(facts.line2, '  /* </script><script>window.__pwned = 1; alert(1)</script> */');
  assert.ok(facts.hrefs.every((h) => /^#[A-Za-z0-9-]+$/.test(h)), facts.hrefs.join(' '));
  await shot(page, 'clones-hostile');
  assert.deepEqual(problems, []);
  await page.close();
});

const corpus = CORPUS;
const opensslOld = corpus && path.join(corpus, 'openssl-src-111.28.2+1.1.1w/openssl/crypto');
const opensslNew = corpus && path.join(corpus, 'openssl-src-300.6.1+3.6.3/openssl/crypto');
const haveOpenssl = opensslOld && fs.existsSync(opensslOld) && fs.existsSync(opensslNew);

test('250 OpenSSL pairs: views are drawn as they are reached, and the last pair is one click away', { skip: !haveOpenssl && 'SIMILE_CORPUS not set', timeout: 600000 }, async () => {
  // Only the page is generated (the report is in its data block): a debug build takes a while.
  const html = clones(corpus, ['--old', opensslOld, '--new', opensslNew], 'html', path.join(WORK, 'clones-openssl.html'));
  const { page, problems } = await open(html);
  const report = await page.evaluate(() => JSON.parse(document.getElementById('simile-data').textContent).report.clones);
  assert.equal(report.pairs.length, 250);
  const ready = await page.evaluate(() => performance.getEntriesByName('simile:ready')[0].startTime);
  const drawn = await page.locator('section.comparison .toolbar').count();
  assert.ok(drawn <= 2, `only the first view is drawn at load (${drawn} of 250)`);
  const last = report.pairs[249];
  const t = Date.now();
  await page.locator('.pairs a.go[href="#cmp-250"]').click();
  await page.waitForSelector('#cmp-250 .pane-a .row');
  const jump = Date.now() - t;
  await page.waitForTimeout(300);
  assert.ok((await topInView(page, 'cmp-250'))[0], 'the last pair is on screen');
  const region = largest(last);
  assert.ok(await lineVisibleIn(page, 'cmp-250', 'a', region.a.start_line));
  assert.ok(await lineVisibleIn(page, 'cmp-250', 'b', region.b.start_line));
  assert.ok(jump < 5000, `the jump took ${jump} ms`);
  console.log(`openssl: ${(fs.statSync(html).size / 1e6).toFixed(1)} MB, ready at ${ready.toFixed(0)} ms, jump to pair 250 in ${jump} ms`);
  await shot(page, 'clones-openssl-last');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'clones-openssl');
  assert.deepEqual(problems, []);
  await page.close();
});
