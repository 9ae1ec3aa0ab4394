// End-to-end tests of the HTML report in headless Chromium (Debian's `chromium`, driven by
// playwright-core). Run with scripts/test-browser.sh, which builds simile and installs nothing;
// scripts/install-test-deps.sh installs Chromium and playwright-core.
//
// Each test generates reports with the real binary, opens them as file:// pages, fails on any
// console error, page error, dialog or network request, clicks like a person would, and saves
// screenshots under test-artifacts/browser/.
//
// Environment: SIMILE_BIN (default target/debug/simile), CHROMIUM (default /usr/bin/chromium),
// SIMILE_ARTIFACTS (default test-artifacts/browser), SIMILE_CORPUS (enables the sqlite3.c
// test when the registry corpus is there).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, CORPUS, FIXTURES, browserFor, HOSTILE_MAIN, lineVisibleIn, shot as shotAfter, topInView } from './harness.mjs';

const { work: WORK, open: openPage } = browserFor('simile-browser-');

/** Run `simile compare a b --format FORMAT` in `cwd`, writing to `out`. */
function simile(cwd, a, b, format, out) {
  execFileSync(BIN, ['compare', a, b, '--format', format, '--output', out], { cwd, stdio: 'pipe' });
  return out;
}

/** The HTML report and the JSON report of a pair, paths relative to `cwd`. */
function reports(cwd, a, b, name) {
  const html = simile(cwd, a, b, 'html', path.join(WORK, `${name}.html`));
  const json = JSON.parse(fs.readFileSync(simile(cwd, a, b, 'json', path.join(WORK, `${name}.json`)), 'utf8'));
  return { html, comparison: json.comparison };
}

/** Open a comparison report (see harness.mjs). */
const open = (file) => openPage(file, '.pane-a .row');

/** Whether line `line` of pane `side` ('a' or 'b') is fully inside the pane's viewport. */
const lineVisible = (page, side, line) => lineVisibleIn(page, null, side, line);

/** A screenshot once the flash animation is over. */
const shot = (page, name) => shotAfter(page, name, 1400);

test('a report opens without errors, and clicking a region scrolls its partner into view', { timeout: 120000 }, async () => {
  const { html, comparison } = reports(FIXTURES, 'decorators/a/decorators.py', 'decorators/b/decorators.py', 'decorators');
  const { page, problems } = await open(html);
  await shot(page, 'decorators');

  // Region 2 moved from the top of A (21-23) to the middle of B (53-60).
  const r = comparison.regions.findIndex((x) => x.moved);
  assert.ok(r >= 0, 'the fixture has a moved region');
  const region = comparison.regions[r];
  assert.equal(await lineVisible(page, 'b', region.b.start_line), false, 'the partner starts out of view');
  await page.locator(`.pane-a .row[data-line="${region.a.start_line}"]`).click();
  await page.waitForTimeout(300);
  const landed = await page.evaluate(() => +document.querySelector('.pane-b .row.flash')?.dataset.line);
  assert.ok(landed >= region.b.start_line && landed <= region.b.end_line, `landed on B line ${landed}`);
  assert.ok(await lineVisible(page, 'b', landed), 'the partner line is in view');
  // Clicked at the same height: the two lines line up.
  const tops = await page.evaluate(([a, b]) => [
    document.querySelector(`.pane-a .row[data-line="${a}"]`).getBoundingClientRect().top,
    document.querySelector(`.pane-b .row[data-line="${b}"]`).getBoundingClientRect().top,
  ], [region.a.start_line, landed]);
  assert.ok(Math.abs(tops[0] - tops[1]) <= 1, `rows line up: ${tops}`);
  assert.match(await page.locator('.region-list button.sel').innerText(), new RegExp(`#${region.id}\\b`));
  assert.match(await page.locator('.pane-a .row[data-line="21"] mark.rn').innerText(), /_wrapper_view/);
  assert.equal(await page.locator('.pane-a .row[data-line="21"] mark.rn').count(), 1, 'only the renamed name is marked');
  await shot(page, 'decorators-moved-region');

  // And back: clicking the partner in B brings A's line to the same height.
  await page.locator(`.pane-b .row[data-line="${region.b.end_line}"]`).click();
  await page.waitForTimeout(300);
  assert.ok(await lineVisible(page, 'a', region.a.end_line), 'A follows a click in B');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the units, renamed identifiers and licences are listed under the summary', { timeout: 120000 }, async () => {
  // The repository's zstd example: its headers point at examples/LICENSE.zstd.
  const root = path.resolve(FIXTURES, '../../../..');
  const { html, comparison } = reports(root, 'examples/zstd-1.4.9/zstd_double_fast.c', 'examples/zstd-1.5.7/zstd_double_fast.c', 'zstd-facts');
  const { page, problems } = await open(html);
  const facts = page.locator('.facts details');
  assert.equal(await facts.count(), 3, 'units, renames and licences');
  // Closed at first (the licence did not change), each opens on a click.
  const units = page.locator('.fact.units');
  assert.equal(await units.evaluate((d) => d.open), false);
  await units.locator('summary').click();
  assert.equal(await units.locator('tbody tr').count(), comparison.units.units.length, 'every unit is a row');
  const renamed = comparison.units.units.find((u) => u.status === 'renamed');
  assert.match(await units.locator('tbody tr.u-renamed').first().innerText(), new RegExp(renamed.a.name));
  await page.locator('.fact.renames summary').click();
  assert.match(await page.locator('.fact.renames tbody').innerText(), /ZSTD_matchState_t\s+ZSTD_MatchState_t\s+7/);
  await page.locator('.fact.licences summary').click();
  const licence = await page.locator('.fact.licences').innerText();
  assert.match(licence, /Licence: same · copyright changed/);
  assert.match(licence, /BSD-3-Clause OR GPL-2\.0-only \(header, through its licence files\)/);
  assert.match(licence, /see LICENSE/);
  assert.match(licence, /examples\/LICENSE\.zstd BSD-3-Clause/);
  await shot(page, 'zstd-facts');
  assert.deepEqual(problems, []);
  await page.close();
});

test('clicking a dotplot segment shows that region on both sides', { timeout: 120000 }, async () => {
  const { html, comparison } = reports(FIXTURES, 'decorators/a/decorators.py', 'decorators/b/decorators.py', 'decorators');
  const { page, problems } = await open(html);
  const r = comparison.regions.length - 1; // the last region: far down in B
  const region = comparison.regions[r];
  assert.equal(await lineVisible(page, 'b', region.b.start_line), false);
  // Click on the segment itself, at the middle of its first stretch, as a person would.
  const point = await page.evaluate((r) => {
    const line = document.querySelector(`.dotplot g[data-region="${r}"] polyline.hit`);
    const pts = line.getAttribute('points').trim().split(/\s+/).map((p) => p.split(',').map(Number));
    const q = pts.length > 1 ? pts[1] : pts[0];
    const m = line.getScreenCTM();
    const p = new DOMPoint((pts[0][0] + q[0]) / 2, (pts[0][1] + q[1]) / 2).matrixTransform(m);
    return { x: p.x, y: p.y };
  }, r);
  await page.mouse.click(point.x, point.y);
  await page.waitForTimeout(300);
  assert.ok(await lineVisible(page, 'a', region.a.start_line), 'region start visible in A');
  assert.ok(await lineVisible(page, 'b', region.b.start_line), 'region start visible in B');
  assert.equal(await page.locator('.dotplot polyline.seg.sel').count(), 1);
  await shot(page, 'decorators-dotplot-click');

  // Keyboard: n goes to the next region (wrapping to the first).
  await page.keyboard.press('n');
  await page.waitForTimeout(200);
  assert.match(await page.locator('.toolbar .pos').innerText(), /region 1 of/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('every fixture pair renders cleanly', { timeout: 180000 }, async () => {
  for (const [name, file] of [['uncompr', 'uncompr.c'], ['sqlite-lib', 'lib.rs'], ['core-test', 'core.test.js']]) {
    const { html, comparison } = reports(FIXTURES, `${name}/a/${file}`, `${name}/b/${file}`, name);
    const { page, problems } = await open(html);
    const rows = await page.locator('.pane-a .row').count();
    assert.equal(rows, Math.min(comparison.a.lines, rows), name);
    assert.equal(await page.locator('.region-list button').count(), comparison.regions.length, name);
    assert.equal(await page.locator('.dotplot g[data-region]').count(), comparison.regions.length, name);
    await shot(page, name);
    assert.deepEqual(problems, [], name);
    await page.close();
  }
});

test('pages with nothing in common, an empty file and a missing final newline render cleanly', { timeout: 120000 }, async () => {
  const dir = path.join(WORK, 'edge');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'empty.c'), '');
  fs.writeFileSync(path.join(dir, 'one.py'), 'print("hello")');
  fs.copyFileSync(path.join(FIXTURES, 'uncompr/a/uncompr.c'), path.join(dir, 'uncompr.c'));
  for (const [a, b] of [['empty.c', 'uncompr.c'], ['one.py', 'uncompr.c'], ['uncompr.c', 'uncompr.c']]) {
    const name = `edge-${a}-${b}`;
    const html = simile(dir, a, b, 'html', path.join(WORK, `${name}.html`));
    const { page, problems } = await openPage(html, '.pane-b .row');
    await page.keyboard.press('n');
    await page.locator('.pane-b .row').first().click();
    await page.locator('.dotplot svg').click({ position: { x: 60, y: 60 } });
    if (a === b) await shot(page, 'identical');
    assert.deepEqual(problems, [], name);
    await page.close();
  }
});

test('hostile file names and code are shown as text and never run', { timeout: 120000 }, async () => {
  const dir = path.join(WORK, 'hostile');
  fs.mkdirSync(dir, { recursive: true });
  const code = [
    ...HOSTILE_MAIN,
    'int helper(int a, int b) {',
    '  int total = a * 31 + b * 17;',
    '  total = total ^ (total >> 3);',
    '  return total + 0x5bd1e995;',
    '}',
    '',
  ].join('\n');
  const nameA = '<img src=x onerror=alert(5)>.c';
  const nameB = '"><svg onload=alert(6)>\'javascript:alert(7).c';
  fs.writeFileSync(path.join(dir, nameA), code);
  fs.writeFileSync(path.join(dir, nameB), code.replace(/helper/g, 'textarea'));
  const html = simile(dir, nameA, nameB, 'html', path.join(WORK, 'hostile.html'));
  const { page, problems } = await open(html);
  await page.locator('.pane-a .row[data-line="3"]').click();
  await page.waitForTimeout(300);
  const facts = await page.evaluate(() => ({
    pwned: window.__pwned,
    scripts: document.scripts.length,
    imgs: document.querySelectorAll('img').length,
    svgs: [...document.querySelectorAll('svg')].filter((s) => !s.closest('.dotplot')).length,
    textareas: document.querySelectorAll('textarea').length,
    paths: [...document.querySelectorAll('.pane-head .path')].map((p) => p.textContent),
    title: document.title,
    line2: document.querySelector('.pane-a .row[data-line="2"] .tx').textContent,
    line3: document.querySelector('.pane-a .row[data-line="3"] .tx').textContent,
    bidi: document.querySelectorAll('.pane-a .row[data-line="5"] .ctl').length,
  }));
  assert.equal(facts.pwned, undefined);
  assert.equal(facts.scripts, 2);
  assert.equal(facts.imgs, 0);
  assert.equal(facts.svgs, 0);
  assert.equal(facts.textareas, 0);
  assert.deepEqual(facts.paths, [nameA, nameB]);
  assert.equal(facts.title, `simile: ${nameA} \u2194 ${nameB}`);
  assert.equal(facts.line2, '  /* </script><script>window.__pwned = 1; alert(1)</script> */');
  assert.equal(facts.line3, '  char *s = "</textarea><img src=x onerror=\\"window.__pwned=2; alert(2)\\">";');
  assert.equal(facts.bidi, 2, 'bidirectional overrides are shown, not obeyed');
  await shot(page, 'hostile');
  assert.deepEqual(problems, []);
  await page.close();
});

test('names with escape sequences, line breaks and bytes that are not UTF-8, and javascript: links, stay text', { timeout: 120000 }, async () => {
  const dir = path.join(WORK, 'control-names');
  fs.mkdirSync(path.join(dir, 'corpus'), { recursive: true });
  const code = [
    '/* <a href="javascript:alert(1)">click</a> [x](javascript:alert(2)) */',
    'char *esc = "\u001b]0;pwned\u0007\u001b[2J\u001b[31mred";',
    'int total(int *values, int count) {',
    '  int sum = 0;',
    '  for (int i = 0; i < count; i++) { sum += values[i] * 31 + 7; }',
    '  return sum ^ (sum >> 3);',
    '}',
    '',
  ].join('\n');
  // A name with an escape sequence, a line break and a Markdown javascript: link; another with
  // a byte that is not UTF-8 (written as a Buffer path).
  const nameA = 'esc\u001b[31m\nline [x](javascript:alert(3)).c';
  const nameB = Buffer.concat([Buffer.from('corpus/bad-'), Buffer.from([0xff]), Buffer.from('.c')]);
  fs.writeFileSync(path.join(dir, nameA), code);
  fs.writeFileSync(Buffer.concat([Buffer.from(dir + '/'), nameB]), code.replace('total', 'sum_all'));
  fs.writeFileSync(path.join(dir, 'other.c'), code.replace('total', 'other'));
  const shownA = 'esc\u241b[31m\u240aline [x](javascript:alert(3)).c';
  // The second name cannot be passed on a command line from here: find meets it in the tree.
  const pages = [
    ['compare', simile(dir, nameA, 'other.c', 'html', path.join(WORK, 'control-names.html')), 'other.c'],
    ['find', simileFind(dir, [nameA], 'corpus', 'html', path.join(WORK, 'control-names-find.html')), 'corpus/bad-\\xFF.c'],
  ];
  for (const [kind, html, shownB] of pages) {
    const { page, problems } = kind === 'compare' ? await open(html) : await openFind(html);
    const facts = await page.evaluate(() => ({
      javascriptLinks: document.querySelectorAll('[href^="javascript" i], [src^="javascript" i]').length,
      anchors: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
      title: document.title,
      paths: [...document.querySelectorAll('.path')].map((p) => p.textContent),
      titles: [...document.querySelectorAll('[title]')].map((p) => p.getAttribute('title')),
      scripts: document.scripts.length,
    }));
    assert.equal(facts.javascriptLinks, 0, kind);
    assert.ok(facts.anchors.every((h) => h.startsWith('#')), `${kind}: ${facts.anchors}`);
    assert.equal(facts.scripts, 2, kind);
    // eslint-disable-next-line no-control-regex
    const control = /[\u0000-\u001f\u007f]/;
    assert.ok(!control.test(facts.title), `${kind}: title ${JSON.stringify(facts.title)}`);
    for (const t of [...facts.paths, ...facts.titles]) {
      assert.ok(!control.test(t), `${kind}: ${JSON.stringify(t)}`);
    }
    assert.ok(facts.paths.includes(shownA), `${kind}: ${JSON.stringify(facts.paths)}`);
    assert.ok(facts.paths.includes(shownB), `${kind}: ${JSON.stringify(facts.paths)}`);
    // Every link on the page goes somewhere on the page, and clicking them runs nothing.
    for (const link of await page.locator('a[href]').all()) {
      if (await link.isVisible()) await link.click();
    }
    await page.waitForTimeout(200);
    await shot(page, `control-names-${kind}`);
    assert.deepEqual(problems, [], kind);
    await page.close();
  }
});

const corpus = CORPUS;
const sqliteA = corpus && path.join(corpus, 'libsqlite3-sys-0.24.2/sqlite3/sqlite3.c');
const sqliteB = corpus && path.join(corpus, 'libsqlite3-sys-0.30.1/sqlite3/sqlite3.c');
const haveSqlite = sqliteA && fs.existsSync(sqliteA) && fs.existsSync(sqliteB);

test('the sqlite3.c pair (250,000 lines a side) stays virtual and navigable', { skip: !haveSqlite && 'SIMILE_CORPUS not set', timeout: 600000 }, async () => {
  const { html, comparison } = reports(corpus, path.relative(corpus, sqliteA), path.relative(corpus, sqliteB), 'sqlite3');
  const { page, problems } = await open(html);
  const domRows = await page.locator('.row').count();
  assert.ok(domRows < 600, `only visible rows are in the DOM (${domRows})`);
  // Jump to a region in the middle of the file through the list.
  const mid = Math.floor(comparison.regions.length / 2);
  const region = comparison.regions[mid];
  // Playwright's click first scrolls the button into view, which may scroll the page too when
  // the workspace ends below the window (it starts under the report's header); a person would
  // scroll there too. Do that first, so that the assertion measures only our click handler.
  const button = page.locator(`.region-list button[data-region="${mid}"]`);
  await button.scrollIntoViewIfNeeded();
  const pageTop = await page.evaluate(() => window.scrollY);
  await button.click();
  await page.waitForTimeout(400);
  assert.equal(await page.evaluate(() => window.scrollY), pageTop, 'only the list scrolls, not the page');
  assert.ok(await lineVisible(page, 'a', region.a.start_line));
  assert.ok(await lineVisible(page, 'b', region.b.start_line));
  // Scroll far with the wheel; rows follow.
  await page.locator('.pane-a .scroller').hover();
  await page.mouse.wheel(0, 40000);
  await page.waitForTimeout(400);
  const first = await page.evaluate(() => +document.querySelector('.pane-a .row').dataset.line);
  assert.ok(first > region.a.start_line, 'rows were redrawn after scrolling');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'sqlite3');
  assert.deepEqual(problems, []);
  await page.close();
});

/* ------------------------------------------------------------------ simile find */

/** Run `simile find QUERIES --in CORPUS --compare --format FORMAT` in `cwd`, writing to `out`. */
function simileFind(cwd, queries, corpus, format, out, extra = []) {
  // Exit 1 (some query without a match) is a normal outcome of a search.
  try {
    execFileSync(BIN, ['find', ...queries, '--in', corpus, '--compare', '--quiet', '--format', format, '--output', out, ...extra], { cwd, stdio: 'pipe' });
  } catch (e) {
    if (e.status !== 1) throw e;
  }
  return out;
}

/** Open a find report (see harness.mjs). */
const openFind = (file) => openPage(file, '.ranking');

const FIND_QUERIES = ['uncompr/a/uncompr.c', 'decorators/a/decorators.py', 'sqlite-lib/a/lib.rs'];

test('a find report ranks with score bars, and a match leads to its comparison', { timeout: 120000 }, async () => {
  const html = simileFind(FIXTURES, FIND_QUERIES, 'find/corpus', 'html', path.join(WORK, 'find.html'));
  const find = JSON.parse(fs.readFileSync(simileFind(FIXTURES, FIND_QUERIES, 'find/corpus', 'json', path.join(WORK, 'find.json')), 'utf8')).find;
  const { page, problems } = await openFind(html);
  await shot(page, 'find');

  // One ranked row per match, best first, with bars as wide as the scores.
  for (const [i, q] of find.queries.entries()) {
    const rows = page.locator(`#q-${i + 1} .ranking tbody tr`);
    assert.equal(await rows.count(), q.matches.length, q.query.path);
    for (const [r, m] of q.matches.entries()) {
      const widths = await rows.nth(r).evaluate((tr) => [...tr.querySelectorAll('.metric .fill')].map((f) => parseFloat(f.style.width)));
      const scores = [m.similarity, m.coverage_query, m.coverage_match];
      assert.equal(widths.length, 3);
      widths.forEach((w, k) => assert.ok(Math.abs(w - scores[k] * 100) < 0.01, `bar ${k} of ${m.file.path}: ${w}% for ${scores[k]}`));
      assert.equal(await rows.nth(r).locator('.path').textContent(), m.file.path);
    }
  }
  // textContent: rankings out of sight are not laid out (content-visibility), so have no innerText.
  assert.match(await page.locator('#q-3 .no-match').textContent(), /No similar file/);
  assert.match(await page.locator('.find-summary').innerText(), /3 queries.*1 without a match.*2 skipped/s);
  assert.equal(await page.locator('.query .to-comparison').count(), 4, 'the best match of the two matched queries links, twice');
  assert.equal(await page.locator('.overview .to-comparison').count(), 2);

  // The overview has a line per query, leading to its ranking.
  assert.deepEqual(await page.locator('.overview tbody tr td:first-child').allInnerTexts(), find.queries.map((q) => q.query.path));
  await page.locator('.overview a[href="#q-3"]').click();
  await page.waitForTimeout(200);
  const [q3, q3Top] = await topInView(page, 'q-3');
  assert.ok(q3, `the third query's ranking is in view (top ${q3Top})`);

  // The decorators query's best match leads to its side-by-side view.
  const q = find.queries[1];
  const c = q.comparison;
  await page.locator('#q-2 a.go.to-comparison').click();
  await page.waitForSelector('#cmp-2 .pane-a .row');
  await page.waitForTimeout(300);
  const [cmp2, top] = await topInView(page, 'cmp-2');
  assert.ok(cmp2 && top < 200, `the comparison is scrolled to the top (top ${top})`);
  assert.deepEqual(await page.locator('#cmp-2 .pane-head .path').allInnerTexts(), [q.query.path, q.matches[0].file.path]);
  assert.equal(await page.locator('#cmp-2 .region-list button').count(), c.regions.length);
  // ... and works like the comparison page: a region from the list shows both sides.
  const last = c.regions.length - 1;
  await page.locator(`#cmp-2 .region-list button[data-region="${last}"]`).click();
  await page.waitForTimeout(300);
  assert.ok(await lineVisibleIn(page, 'cmp-2', 'a', c.regions[last].a.start_line));
  assert.ok(await lineVisibleIn(page, 'cmp-2', 'b', c.regions[last].b.start_line));
  await shot(page, 'find-comparison');

  // Back to the ranking, then the skipped files.
  await page.locator('#cmp-2').locator('xpath=preceding-sibling::h3[1]').locator('a.back').click();
  await page.waitForTimeout(200);
  const [q2, qTop] = await topInView(page, 'q-2');
  assert.ok(q2 && qTop < 200, `back at the ranking (top ${qTop})`);
  await page.locator('.skipped summary').click();
  assert.equal(await page.locator('.skipped tbody tr').count(), find.skipped.total);
  await page.locator('.skipped').scrollIntoViewIfNeeded();
  await shot(page, 'find-skipped');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a find report of many queries draws comparisons as they are reached, and hostile names stay text', { timeout: 180000 }, async () => {
  const dir = path.join(WORK, 'find-many');
  const corpusDir = path.join(dir, 'corpus');
  const queryDir = path.join(dir, 'queries');
  fs.mkdirSync(corpusDir, { recursive: true });
  fs.mkdirSync(queryDir, { recursive: true });
  const base = fs.readFileSync(path.join(FIXTURES, 'uncompr/a/uncompr.c'), 'utf8');
  const hostileMatch = '"><svg onload=alert(1)>\'javascript:alert(2).c';
  const hostileQuery = '<img src=x onerror=window.__pwned=3>.c';
  fs.writeFileSync(path.join(corpusDir, hostileMatch), base);
  fs.writeFileSync(path.join(queryDir, hostileQuery), base.replace(/uncompress/g, 'inflate_all') + '\n/* </script><script>window.__pwned = 4</script> */\n');
  // Twenty-four more queries, each a variant of a corpus file of its own.
  const lines = base.split('\n');
  for (let i = 0; i < 24; i++) {
    const variant = lines.map((l) => l.replace(/\blen\b/g, `len${i}`)).join('\n');
    fs.writeFileSync(path.join(corpusDir, `v${String(i).padStart(2, '0')}.c`), variant);
    fs.writeFileSync(path.join(queryDir, `q${String(i).padStart(2, '0')}.c`), variant + `\nint extra${i}(void) { return ${i}; }\n`);
  }
  const html = simileFind(dir, ['queries'], 'corpus', 'html', path.join(WORK, 'find-many.html'), ['--top', '3']);
  const { page, problems } = await openFind(html);
  const sections = await page.locator('section.comparison').count();
  assert.equal(sections, 25, 'one comparison per query');
  const built = await page.locator('section.comparison .toolbar').count();
  assert.ok(built < sections, `only comparisons near the viewport are drawn at load (${built} of ${sections})`);

  // The overview leads to the last query's ranking, past comparisons not drawn yet.
  await page.locator('.overview a[href="#q-25"]').click();
  await page.waitForTimeout(300);
  const [q25, q25Top] = await topInView(page, 'q-25');
  assert.ok(q25 && q25Top < 200, `the last query's ranking is at the top (top ${q25Top})`);

  // The last query's best match is reachable from its ranking.
  const lastLink = page.locator('section.query').last().locator('a.go.to-comparison');
  const target = (await lastLink.getAttribute('href')).slice(1);
  await lastLink.click();
  await page.waitForSelector(`#${target} .pane-a .row`);
  await page.waitForTimeout(300);
  const [last, top] = await topInView(page, target);
  assert.ok(last, `the last comparison is in view (top ${top})`);

  // Hostile names: shown literally, nothing runs.
  await page.evaluate(() => window.scrollTo(0, 0));
  const facts = await page.evaluate(() => ({
    pwned: window.__pwned,
    scripts: document.scripts.length,
    imgs: document.querySelectorAll('img').length,
    svgs: [...document.querySelectorAll('svg')].filter((s) => !s.closest('.dotplot')).length,
    queries: [...document.querySelectorAll('.query-head .path')].map((p) => p.textContent),
    matches: [...document.querySelectorAll('.ranking .path')].map((p) => p.textContent),
  }));
  assert.equal(facts.pwned, undefined);
  assert.equal(facts.scripts, 2);
  assert.equal(facts.imgs, 0);
  assert.equal(facts.svgs, 0);
  assert.ok(facts.queries.includes(`queries/${hostileQuery}`), facts.queries.join('\n'));
  assert.ok(facts.matches.includes(`corpus/${hostileMatch}`), facts.matches.join('\n'));
  await shot(page, 'find-many');
  assert.deepEqual(problems, []);
  await page.close();
});
