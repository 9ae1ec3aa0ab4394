/* simile HTML report: draws each comparison view from the JSON block #simile-data.
 *
 * Invariants: file content and paths reach the DOM only through textContent / createTextNode,
 * never as markup; only the rows in sight (plus an overscan) exist in the DOM, so a pane of
 * 250,000 lines costs the same as one of 50. */
(function () {
  'use strict';
  var ROW = 20;            /* px per row: must match --row in report.css */
  var OVERSCAN = 40;       /* rows drawn above and below the visible ones */
  var MAX_CHARS = 3000;    /* longer lines are cut (minified code would stall layout) */
  var SVGNS = 'http://www.w3.org/2000/svg';
  var PLOT = 1000;         /* dotplot size in SVG units */
  var CTL = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;
  var CTL_ALL = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  // A file name as the page's static parts show it (terminal_safe in Rust): control
  // characters (escape sequences, line breaks) as pictures, bidirectional overrides as escapes.
  function safeName(s) {
    return s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, function (c) {
      var n = c.charCodeAt(0);
      if (n === 9) return '    ';
      if (n < 32) return String.fromCharCode(0x2400 + n);
      if (n === 127) return '\u2421';
      return '\\u{' + n.toString(16) + '}';
    });
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  function group(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function span(s, e) { return s === e ? String(s) : s + '-' + e; }
  /* Region hues: distinct neighbours, and no pure red or green, which mean "only in A/B". */
  var HUES = [212, 28, 268, 178, 318, 48, 236, 196, 290, 76];
  function hue(id) { return HUES[(id - 1) % HUES.length] + 7 * Math.floor((id - 1) / HUES.length) % 21; }
  function escapeRx(s) { return s.replace(/[.*+?^${}()|[\]\\\/]/g, '\\$&'); }
  function clamp(x, lo, hi) { return Math.max(lo, Math.min(hi, x)); }
  function resolve(root, ptr) {
    if (ptr === '' || ptr === '/') return root;
    return ptr.split('/').slice(1).reduce(function (o, k) {
      return o == null ? o : o[k.replace(/~1/g, '/').replace(/~0/g, '~')];
    }, root);
  }

  /* Text of a code line: control and bidirectional-override characters shown as visible
     badges (so code cannot hide or reorder itself), renamed names underlined. */
  function appendCode(parent, text, rx) {
    var cut = 0;
    if (text.length > MAX_CHARS) { cut = text.length - MAX_CHARS; text = text.slice(0, MAX_CHARS); }
    if (!rx) appendPlain(parent, text);
    else {
      var last = 0, m;
      rx.re.lastIndex = 0;
      while ((m = rx.re.exec(text)) !== null) {
        if (m[0].length === 0) { rx.re.lastIndex++; continue; }
        appendPlain(parent, text.slice(last, m.index));
        var mark = el('mark', 'rn');
        appendPlain(mark, m[0]);
        mark.title = 'renamed: ' + (rx.title.get(m[0]) || m[0]);
        parent.appendChild(mark);
        last = m.index + m[0].length;
      }
      appendPlain(parent, text.slice(last));
    }
    if (cut) parent.appendChild(el('span', 'cut', ' \u2026 ' + group(cut) + ' more characters'));
  }
  function appendPlain(parent, text) {
    if (!text) return;
    if (!CTL.test(text)) { parent.appendChild(document.createTextNode(text)); return; }
    var last = 0, m;
    CTL_ALL.lastIndex = 0;
    while ((m = CTL_ALL.exec(text)) !== null) {
      parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var code = m[0].charCodeAt(0);
      parent.appendChild(el('span', 'ctl', code === 27 ? 'ESC' : 'U+' + code.toString(16).toUpperCase().padStart(4, '0')));
      last = m.index + 1;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  /* ---------------------------------------------------------------- one side's data */
  function buildSide(c, regions, sources, idx) {
    var key = idx === 0 ? 'a' : 'b';
    var info = c[key];
    var lines = Object.prototype.hasOwnProperty.call(sources, info.path) ? sources[info.path] : null;
    var n = lines ? lines.length : info.lines;
    var regionOf = new Int32Array(n + 2);   /* region index + 1, 0 = none */
    var kind = new Uint8Array(n + 2);       /* 0 plain, 1 changed, 2 only this side, 3 unmatched code */
    var starts = new Map();
    regions.forEach(function (r, i) {
      var s = r[key];
      if (!starts.has(s.start_line)) starts.set(s.start_line, i);
      for (var l = s.start_line; l <= s.end_line && l <= n; l++) regionOf[l] = i + 1;
      (r.diff || []).forEach(function (h) {
        var hr = h[key];
        if (!hr || h.op === 'equal') return;
        var k = h.op === 'changed' ? 1 : 2;
        for (var l = hr.start; l <= hr.end && l <= n; l++) kind[l] = k;
      });
    });
    (c[idx === 0 ? 'only_in_a' : 'only_in_b'] || []).forEach(function (rg) {
      for (var l = rg.start; l <= rg.end && l <= n; l++) if (!regionOf[l]) kind[l] = 3;
    });
    var longest = 0;
    if (lines) for (var i = 0; i < lines.length; i++) if (lines[i].length > longest) longest = lines[i].length;
    return { idx: idx, key: key, info: info, lines: lines, n: n, regionOf: regionOf, kind: kind,
             starts: starts, longest: Math.min(longest, MAX_CHARS + 30) };
  }

  /* ---------------------------------------------------------------- a virtualized pane */
  /* A pane is a gutter (line numbers, region tags, change marks) and a code column, each with
     its own rows; the code column scrolls both ways, the gutter follows it vertically. (Sticky
     gutter cells inside the scroller would make every scroll step repaint: ~200 ms a frame.) */
  function Pane(view, side) {
    this.view = view;
    this.side = side;
    this.first = 0;
    this.last = -1;
    this.expect = null;
    this.flashLine = 0;
    var digits = String(Math.max(side.n, 1)).length;
    var root = this.root = el('div', 'pane pane-' + side.key);
    var head = el('div', 'pane-head');
    head.appendChild(el('span', 'side side-' + side.key, side.key.toUpperCase()));
    var path = el('code', 'path', safeName(side.info.path));
    path.title = safeName(side.info.path);
    head.appendChild(path);
    head.appendChild(el('span', 'meta', side.lines
      ? side.info.language + ' \u00b7 ' + group(side.n) + ' lines'
      : 'text not available'));
    root.appendChild(head);
    var height = Math.max(1, side.n) * ROW + 'px';
    var gutter = this.gutter = el('div', 'gutter');
    gutter.style.setProperty('--digits', digits + 'ch');
    this.gutterSpacer = el('div', 'spacer');
    this.gutterSpacer.style.height = height;
    this.gutterRows = el('div', 'rows');
    this.gutterSpacer.appendChild(this.gutterRows);
    gutter.appendChild(this.gutterSpacer);
    root.appendChild(gutter);
    var scroller = this.scroller = el('div', 'scroller');
    scroller.tabIndex = 0;
    scroller.setAttribute('aria-label', 'File ' + side.key.toUpperCase());
    var spacer = this.spacer = el('div', 'spacer');
    spacer.style.height = height;
    spacer.style.width = 'calc(' + side.longest + 'ch + 40px)';
    this.rows = el('div', 'rows');
    spacer.appendChild(this.rows);
    scroller.appendChild(spacer);
    root.appendChild(scroller);
    this.ruler = el('div', 'ruler');
    this.ruler.title = 'Regions in this file; click to scroll';
    root.appendChild(this.ruler);
    this.buildRuler();
    var self = this;
    scroller.addEventListener('scroll', function () { self.onScroll(); }, { passive: true });
    gutter.addEventListener('wheel', function (e) {
      scroller.scrollTop += e.deltaMode === 1 ? e.deltaY * ROW : e.deltaY;
      e.preventDefault();
    }, { passive: false });
    this.rows.addEventListener('click', function (e) { self.onClick(e); });
    this.gutterRows.addEventListener('click', function (e) { self.onClick(e); });
    this.ruler.addEventListener('click', function (e) {
      var rect = self.ruler.getBoundingClientRect();
      var line = (e.clientY - rect.top) / rect.height * self.side.n + 1;
      self.scrollToLine(line, self.scroller.clientHeight / 2, true);
    });
  }
  Pane.prototype.buildRuler = function () {
    var n = Math.max(this.side.n, 1), key = this.side.key, view = this.view;
    var frag = document.createDocumentFragment();
    view.regions.forEach(function (r, i) {
      var s = r[key], mark = el('i');
      mark.style.top = ((s.start_line - 1) / n * 100) + '%';
      mark.style.height = ((s.end_line - s.start_line + 1) / n * 100) + '%';
      mark.style.setProperty('--h', view.hues[i]);
      frag.appendChild(mark);
    });
    this.viewMark = el('b');
    frag.appendChild(this.viewMark);
    this.ruler.appendChild(frag);
  };
  /* The gutter has no horizontal scrollbar: pad it by the code column's, so both scroll
     equally far. */
  Pane.prototype.setHeight = function (h) {
    this.scroller.style.height = h + 'px';
    this.gutter.style.height = h + 'px';
    var bar = this.scroller.offsetHeight - this.scroller.clientHeight;
    this.gutterSpacer.style.height = (Math.max(1, this.side.n) * ROW + bar) + 'px';
  };
  Pane.prototype.visible = function () {
    var top = this.scroller.scrollTop, h = this.scroller.clientHeight;
    return { first: Math.floor(top / ROW) + 1, last: Math.min(this.side.n, Math.ceil((top + h) / ROW)) };
  };
  Pane.prototype.draw = function (force) {
    var v = this.visible();
    this.gutter.scrollTop = this.scroller.scrollTop;
    if (!force && v.first >= this.first && v.last <= this.last) { this.drawViewMark(v); return; }
    var first = Math.max(1, v.first - OVERSCAN), last = Math.min(this.side.n, v.last + OVERSCAN);
    this.first = first;
    this.last = last;
    var code = document.createDocumentFragment(), gut = document.createDocumentFragment();
    for (var l = first; l <= last; l++) this.row(l, code, gut);
    this.rows.replaceChildren(code);
    this.gutterRows.replaceChildren(gut);
    var shift = 'translateY(' + (first - 1) * ROW + 'px)';
    this.rows.style.transform = shift;
    this.gutterRows.style.transform = shift;
    this.drawViewMark(v);
  };
  Pane.prototype.drawViewMark = function (v) {
    var n = Math.max(this.side.n, 1);
    this.viewMark.style.top = ((v.first - 1) / n * 100) + '%';
    this.viewMark.style.height = (Math.max(1, v.last - v.first + 1) / n * 100) + '%';
    this.view.drawPlotView();
  };
  /* Line l as a code row (appended to `code`) and a gutter row (appended to `gut`). */
  Pane.prototype.row = function (l, code, gut) {
    var s = this.side, view = this.view, ri = s.regionOf[l] - 1, k = s.kind[l];
    var row = el('div', 'row'), grow = el('div', 'grow');
    var tg = el('span', 'tg'), mk = el('span', 'mk'), tx = el('span', 'tx'), rx = null, cls = [];
    if (ri >= 0) {
      var r = view.regions[ri];
      cls.push('in');
      if (r.moved) cls.push('moved');
      if (ri === view.sel) cls.push('sel');
      row.style.setProperty('--h', view.hues[ri]);
      grow.style.setProperty('--h', view.hues[ri]);
      row.dataset.region = grow.dataset.region = ri;
      if (s.starts.get(l) === ri) {
        tg.textContent = (r.moved ? '\u21c4' : '#') + r.id;
        tg.title = 'region ' + r.id + ': ' + r.kind + (r.moved ? ', moved' : '');
      }
      rx = view.renamePattern(ri, s.key);
    }
    if (k === 1) { cls.push('changed'); mk.textContent = '~'; }
    else if (k === 2) { cls.push(s.idx === 0 ? 'gone' : 'new'); mk.textContent = s.idx === 0 ? '\u2212' : '+'; }
    else if (k === 3) cls.push('only');
    if (l === this.flashLine) cls.push('flash');
    cls.forEach(function (c) { row.classList.add(c); grow.classList.add(c); });
    row.dataset.line = grow.dataset.line = l;
    var text = s.lines ? s.lines[l - 1] : '';
    appendCode(tx, text == null ? '' : text, rx);
    row.appendChild(tx);
    grow.appendChild(el('span', 'ln', String(l)));
    grow.appendChild(tg);
    grow.appendChild(mk);
    code.appendChild(row);
    gut.appendChild(grow);
  };
  Pane.prototype.onScroll = function () {
    this.gutter.scrollTop = this.scroller.scrollTop;
    if (this.pending) return;
    this.pending = true;
    var self = this;
    requestAnimationFrame(function () {
      self.pending = false;
      self.draw(false);
      self.view.scrolled(self);
    });
  };
  Pane.prototype.onClick = function (e) {
    var row = e.target.closest('.row, .grow');
    if (!row || row.dataset.region == null) return;
    var y = row.getBoundingClientRect().top - this.scroller.getBoundingClientRect().top;
    this.view.jumpFrom(this.side.idx, +row.dataset.region, +row.dataset.line, y);
  };
  /* Scroll so that (fractional) line `line` sits `y` px below the top of the viewport. */
  Pane.prototype.scrollToLine = function (line, y, byUser) {
    var max = Math.max(0, this.scroller.scrollHeight - this.scroller.clientHeight);
    var top = clamp(Math.round((line - 1) * ROW - y), 0, max);
    this.expect = byUser ? null : top;
    this.scroller.scrollTop = top;
    this.draw(false);
  };
  Pane.prototype.flash = function (line) {
    this.flashLine = line;
    this.draw(true);
    var self = this;
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(function () { self.flashLine = 0; }, 1300);
  };

  /* ---------------------------------------------------------------- one comparison */
  function ComparisonView(root, c, sources) {
    this.c = c;
    this.regions = c.regions || [];
    this.hues = this.regions.map(function (r) { return hue(r.id); });
    this.sel = -1;
    this.sync = true;
    this.sides = [buildSide(c, this.regions, sources, 0), buildSide(c, this.regions, sources, 1)];
    this.anchors = this.buildAnchors();
    root.replaceChildren();
    root.appendChild(this.buildToolbar());
    var work = el('div', 'workspace');
    var side = el('div', 'sidepanel');
    side.appendChild(this.buildDotplot());
    side.appendChild(this.buildList());
    work.appendChild(side);
    var panes = el('div', 'panes');
    var self = this;
    this.panes = this.sides.map(function (s) { return new Pane(self, s); });
    this.panes.forEach(function (p) { panes.appendChild(p.root); });
    work.appendChild(panes);
    root.appendChild(work);
    this.root = root;
    if (!active) active = this;
    root.addEventListener('pointerdown', function () { active = self; });
    this.fitHeight();
    this.panes.forEach(function (p) { p.draw(true); });
    window.addEventListener('resize', function () { self.fitHeight(); self.panes.forEach(function (p) { p.draw(true); }); });
  }
  ComparisonView.prototype.fitHeight = function () {
    var n = Math.max(this.sides[0].n, this.sides[1].n, 1);
    var h = Math.min(n * ROW + 18, Math.max(360, window.innerHeight - 150));
    this.panes.forEach(function (p) { p.setHeight(h); });
  };

  /* Pairs (line of A, line of B) along the kept (not moved) regions, increasing on both sides:
     scroll sync interpolates between them. */
  ComparisonView.prototype.buildAnchors = function () {
    var pts = [[1, 1]];
    this.regions.forEach(function (r) {
      if (r.moved) return;
      var eq = (r.diff || []).filter(function (h) { return h.op === 'equal' && h.a && h.b; });
      if (eq.length) eq.forEach(function (h) { pts.push([h.a.start, h.b.start], [h.a.end + 1, h.b.end + 1]); });
      else pts.push([r.a.start_line, r.b.start_line], [r.a.end_line + 1, r.b.end_line + 1]);
    });
    pts.push([this.sides[0].n + 1, this.sides[1].n + 1]);
    pts.sort(function (p, q) { return p[0] - q[0] || p[1] - q[1]; });
    var out = [];
    pts.forEach(function (p) {
      var last = out[out.length - 1];
      if (!last || (p[0] >= last[0] && p[1] >= last[1])) out.push(p);
    });
    return out;
  };
  ComparisonView.prototype.anchorMap = function (from, x) {
    var pts = this.anchors, to = 1 - from, lo = 0, hi = pts.length - 1;
    if (x <= pts[0][from]) return pts[0][to];
    if (x >= pts[hi][from]) return pts[hi][to];
    while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (pts[mid][from] <= x) lo = mid; else hi = mid; }
    var p = pts[lo], q = pts[hi], d = q[from] - p[from];
    return d <= 0 ? p[to] : p[to] + (x - p[from]) * (q[to] - p[to]) / d;
  };
  /* The line of the other side that corresponds to `line` of side `from` inside region r. */
  ComparisonView.prototype.mapLine = function (r, from, line) {
    var fk = from === 0 ? 'a' : 'b', tk = from === 0 ? 'b' : 'a';
    var diff = r.diff || [], prev = null;
    for (var i = 0; i < diff.length; i++) {
      var h = diff[i], hs = h[fk], ht = h[tk];
      if (hs && line >= hs.start && line <= hs.end) {
        if (!ht) return prev != null ? prev : r[tk].start_line;
        if (h.op === 'equal') return Math.min(ht.start + (line - hs.start), ht.end);
        return ht.start + Math.round((line - hs.start) * (ht.end - ht.start) / Math.max(1, hs.end - hs.start));
      }
      if (ht) prev = ht.end;
    }
    var s = r[fk], t = r[tk];
    var ns = s.end_line - s.start_line, nt = t.end_line - t.start_line;
    if (ns === nt) return t.start_line + (line - s.start_line);
    return t.start_line + Math.round((line - s.start_line) * nt / Math.max(1, ns));
  };
  ComparisonView.prototype.renamePattern = function (ri, key) {
    var r = this.regions[ri];
    if (!r.renames || !r.renames.length) return null;
    r._rx = r._rx || {};
    if (r._rx[key] !== undefined) return r._rx[key];
    var names = [], title = new Map();
    r.renames.slice(0, 300).forEach(function (n) {
      var name = n[key];
      if (!name || title.has(name)) return;
      title.set(name, n.a + ' \u2192 ' + n.b);
      names.push(name);
    });
    /* Whole words only: a literal `1` must not light up inside `sqlite3VdbeAddOp1`. */
    var bounded = function (name) {
      return (/^[\w$]/.test(name) ? '(?<![\\w$])' : '') + escapeRx(name) + (/[\w$]$/.test(name) ? '(?![\\w$])' : '');
    };
    if (!names.length) return (r._rx[key] = null);
    names.sort(function (x, y) { return y.length - x.length; });
    var rx = null;
    try { rx = { re: new RegExp(names.map(bounded).join('|'), 'g'), title: title }; } catch (e) { rx = null; }
    r._rx[key] = rx;
    return rx;
  };

  /* ---------------------------------------------------------------- toolbar, list, dotplot */
  ComparisonView.prototype.buildToolbar = function () {
    var self = this, bar = el('div', 'toolbar');
    var prev = el('button', null, '\u25c0 prev');
    prev.type = 'button';
    prev.title = 'Previous region (p or [)';
    var next = el('button', null, 'next \u25b6');
    next.type = 'button';
    next.title = 'Next region (n or ])';
    var count = this.regions.length;
    this.pos = el('span', 'pos', count ? group(count) + (count === 1 ? ' region' : ' regions') : 'no matched regions');
    prev.addEventListener('click', function () { self.step(-1); });
    next.addEventListener('click', function () { self.step(1); });
    var label = el('label');
    var box = el('input');
    box.type = 'checkbox';
    box.checked = true;
    box.addEventListener('change', function () { self.sync = box.checked; });
    label.appendChild(box);
    label.appendChild(document.createTextNode('sync scrolling'));
    label.title = 'Keep the other side aligned along the code kept in order';
    bar.appendChild(prev);
    bar.appendChild(this.pos);
    bar.appendChild(next);
    bar.appendChild(label);
    var legend = el('div', 'legend');
    [['sw-kept', 'matched region'], ['sw-moved', 'moved'], ['sw-rename', 'renamed name'],
     ['sw-changed', '~ changed'], ['sw-gone', '\u2212 only in A'], ['sw-new', '+ only in B'],
     ['sw-only', 'unmatched code']].forEach(function (item) {
      var s = el('span');
      s.appendChild(el('i', 'sw ' + item[0]));
      s.appendChild(document.createTextNode(item[1]));
      legend.appendChild(s);
    });
    bar.appendChild(legend);
    return bar;
  };
  ComparisonView.prototype.buildList = function () {
    var self = this, list = this.list = el('ol', 'region-list');
    this.items = this.regions.map(function (r, i) {
      var li = el('li'), b = el('button');
      b.type = 'button';
      b.dataset.region = i;
      b.style.setProperty('--h', self.hues[i]);
      b.appendChild(el('i', 'dot' + (r.moved ? ' moved' : '')));
      b.appendChild(el('span', 'rid', '#' + r.id));
      var tags = el('span', 'tags');
      tags.appendChild(el('span', 'tag', r.kind));
      if (r.moved) tags.appendChild(el('span', 'tag moved', 'moved'));
      b.appendChild(tags);
      b.appendChild(el('span', 'where', 'A ' + span(group(r.a.start_line), group(r.a.end_line)) +
        ' \u2194 B ' + span(group(r.b.start_line), group(r.b.end_line))));
      b.title = '#' + r.id + ' ' + r.kind + (r.moved ? ', moved' : '') + ': A ' + span(r.a.start_line, r.a.end_line) +
        ' \u2194 B ' + span(r.b.start_line, r.b.end_line) + ', ' + group(r.matched_tokens) + ' tokens' +
        (r.renames && r.renames.length ? ', ' + r.renames.length + ' rename(s)' : '');
      li.appendChild(b);
      list.appendChild(li);
      return b;
    });
    if (!this.regions.length) list.appendChild(el('li', 'missing', 'No matched regions.'));
    list.addEventListener('click', function (e) {
      var b = e.target.closest('button');
      if (b && b.dataset.region != null) self.goTo(+b.dataset.region);
    });
    return list;
  };
  ComparisonView.prototype.buildDotplot = function () {
    var self = this, na = Math.max(this.sides[0].n, 1), nb = Math.max(this.sides[1].n, 1);
    var fig = el('figure', 'dotplot');
    var cap = el('figcaption');
    cap.appendChild(el('strong', null, 'Dotplot'));
    cap.appendChild(el('span', null, 'on the diagonal: kept \u00b7 off it: moved'));
    fig.appendChild(cap);
    var s = this.plot = svg('svg', { viewBox: '-70 -20 1090 1110', role: 'img',
      'aria-label': 'Dotplot of matched regions: lines of A across, lines of B down' });
    s.appendChild(svg('rect', { class: 'frame', x: 0, y: 0, width: PLOT, height: PLOT }));
    s.appendChild(svg('line', { class: 'diag', x1: 0, y1: 0, x2: PLOT, y2: PLOT }));
    var axis = function (x, y, text, anchor, rotate) {
      var t = svg('text', { class: 'axis', x: x, y: y, 'font-size': 34, 'text-anchor': anchor });
      if (rotate) t.setAttribute('transform', 'rotate(-90 ' + x + ' ' + y + ')');
      t.textContent = text;
      s.appendChild(t);
    };
    axis(0, PLOT + 40, '1', 'start');
    axis(PLOT, PLOT + 40, group(na), 'end');
    axis(PLOT / 2, PLOT + 40, 'A lines', 'middle');
    axis(-20, 0, '1', 'end', true);
    axis(-20, PLOT, group(nb), 'start', true);
    axis(-20, PLOT / 2, 'B lines', 'middle', true);
    var px = function (l) { return ((l - 0.5) / na * PLOT).toFixed(1); };
    var py = function (l) { return ((l - 0.5) / nb * PLOT).toFixed(1); };
    this.segs = this.regions.map(function (r, i) {
      var eq = (r.diff || []).filter(function (h) { return h.op === 'equal' && h.a && h.b; });
      var pts = eq.length
        ? [].concat.apply([], eq.map(function (h) { return [[h.a.start, h.b.start], [h.a.end, h.b.end]]; }))
        : [[r.a.start_line, r.b.start_line], [r.a.end_line, r.b.end_line]];
      var points = pts.map(function (p) { return px(p[0]) + ',' + py(p[1]); }).join(' ');
      var g = svg('g', { 'data-region': i });
      var seg = svg('polyline', { class: 'seg' + (r.moved ? ' moved' : ''), points: points,
        stroke: 'hsl(' + self.hues[i] + ' 70% 45%)' });
      var hit = svg('polyline', { class: 'hit', points: points });
      var title = svg('title', {});
      title.textContent = '#' + r.id + ' ' + r.kind + (r.moved ? ', moved' : '') + ': A ' +
        span(r.a.start_line, r.a.end_line) + ' \u2194 B ' + span(r.b.start_line, r.b.end_line);
      g.appendChild(title);
      g.appendChild(seg);
      g.appendChild(hit);
      s.appendChild(g);
      return seg;
    });
    this.plotView = svg('rect', { class: 'view', x: 0, y: 0, width: 0, height: 0 });
    s.appendChild(this.plotView);
    s.addEventListener('click', function (e) {
      var g = e.target.closest('g[data-region]');
      if (g) { self.goTo(+g.getAttribute('data-region')); return; }
      var m = s.getScreenCTM();
      if (!m) return;
      var p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
      var la = clamp(p.x / PLOT * na + 0.5, 1, na), lb = clamp(p.y / PLOT * nb + 0.5, 1, nb);
      self.panes[0].scrollToLine(la, self.panes[0].scroller.clientHeight / 2);
      self.panes[1].scrollToLine(lb, self.panes[1].scroller.clientHeight / 2);
    });
    fig.appendChild(s);
    return fig;
  };
  ComparisonView.prototype.drawPlotView = function () {
    if (!this.panes || !this.plotView) return;
    var a = this.panes[0].visible(), b = this.panes[1].visible();
    var na = Math.max(this.sides[0].n, 1), nb = Math.max(this.sides[1].n, 1);
    var x = (a.first - 1) / na * PLOT, y = (b.first - 1) / nb * PLOT;
    this.plotView.setAttribute('x', x.toFixed(1));
    this.plotView.setAttribute('y', y.toFixed(1));
    this.plotView.setAttribute('width', Math.max(4, (a.last - a.first + 1) / na * PLOT).toFixed(1));
    this.plotView.setAttribute('height', Math.max(4, (b.last - b.first + 1) / nb * PLOT).toFixed(1));
  };

  /* ---------------------------------------------------------------- navigation */
  ComparisonView.prototype.select = function (ri) {
    if (this.sel >= 0) {
      this.items[this.sel].classList.remove('sel');
      this.segs[this.sel].classList.remove('sel');
    }
    this.sel = ri;
    var r = this.regions[ri];
    this.items[ri].classList.add('sel');
    this.segs[ri].classList.add('sel');
    this.reveal(this.items[ri]);
    this.pos.textContent = 'region ' + r.id + ' of ' + group(this.regions.length);
  };
  /* Scroll the region list (only the list, never the page) so that `item` is in view. */
  ComparisonView.prototype.reveal = function (item) {
    var list = this.list, top = item.offsetTop, bottom = top + item.offsetHeight;
    if (top < list.scrollTop) list.scrollTop = top - 4;
    else if (bottom > list.scrollTop + list.clientHeight) list.scrollTop = bottom - list.clientHeight + 4;
  };
  /* Show region ri at the top quarter of both panes (`quiet`: without the flash, for a view
     that opens there). */
  ComparisonView.prototype.goTo = function (ri, quiet) {
    var r = this.regions[ri];
    if (!r) return;
    this.select(ri);
    var pa = this.panes[0], pb = this.panes[1];
    pa.scrollToLine(r.a.start_line, pa.scroller.clientHeight / 4);
    pb.scrollToLine(r.b.start_line, pb.scroller.clientHeight / 4);
    if (quiet) return;
    pa.flash(r.a.start_line);
    pb.flash(r.b.start_line);
  };
  /* A click on line `line` of region ri on side `from`, `y` px below the pane's top: bring the
     partner line to the same height on the other side. */
  ComparisonView.prototype.jumpFrom = function (from, ri, line, y) {
    this.select(ri);
    var other = this.panes[1 - from], target = this.mapLine(this.regions[ri], from, line);
    other.scrollToLine(target, y);
    other.flash(target);
    this.panes[from].draw(true);
  };
  ComparisonView.prototype.step = function (d) {
    if (!this.regions.length) return;
    var i = this.sel < 0 ? (d > 0 ? 0 : this.regions.length - 1)
      : (this.sel + d + this.regions.length) % this.regions.length;
    this.goTo(i);
  };
  /* Scroll sync: the pane the user scrolled leads; the other follows along the kept regions. */
  ComparisonView.prototype.scrolled = function (pane) {
    var top = pane.scroller.scrollTop;
    if (pane.expect != null && Math.abs(top - pane.expect) < 2) { pane.expect = null; return; }
    pane.expect = null;
    if (!this.sync) return;
    var h = pane.scroller.clientHeight, from = pane.side.idx;
    var mid = (top + h / 2) / ROW + 1;
    this.panes[1 - from].scrollToLine(this.anchorMap(from, mid), h / 2);
  };

  /* ---------------------------------------------------------------- start */
  /* Keys act on the view the user last pointed at (a page can hold several). */
  var active = null;
  document.addEventListener('keydown', function (e) {
    if (!active || (e.target && /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName))) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'n' || e.key === ']') active.step(1);
    else if (e.key === 'p' || e.key === '[') active.step(-1);
  });
  var data = JSON.parse(document.getElementById('simile-data').textContent);
  var views = data.views || [];
  function build(v) {
    if (v.built) return;
    v.built = true;
    var section = document.getElementById(v.id);
    var c = resolve(data.report, v.pointer);
    if (!section || !c) return;
    var viewer = section.querySelector('.viewer');
    viewer.style.minHeight = '';
    section.simileView = new ComparisonView(viewer, c, data.sources || {});
    /* A view may open on one region: a clone pair on its largest copy. */
    if (v.focus != null) section.simileView.goTo(v.focus, true);
  }
  function viewById(id) {
    for (var i = 0; i < views.length; i++) if (views[i].id === id) return views[i];
    return null;
  }
  /* A page may hold many comparisons (a search of many queries with --compare). A few are drawn
     at once; beyond EAGER_VIEWS, the first one and the one the address points to are drawn now,
     the others when they come near the viewport or a link leads to them (before the browser
     scrolls there). An undrawn view reserves about the height it will take, so links to what
     lies below it land where they should. */
  var EAGER_VIEWS = 8;
  function reserve(v) {
    var section = document.getElementById(v.id);
    var c = resolve(data.report, v.pointer);
    if (!section || !c) return;
    var n = Math.max(c.a.lines || 0, c.b.lines || 0, 1);
    var h = Math.min(n * ROW + 18, Math.max(360, window.innerHeight - 150));
    section.querySelector('.viewer').style.minHeight = (42 + Math.max(h + 32, 460)) + 'px';
  }
  var lazy = views.length > EAGER_VIEWS && 'IntersectionObserver' in window;
  if (!lazy) views.forEach(build);
  else {
    build(views[0]);
    var target = location.hash && viewById(decodeURIComponent(location.hash.slice(1)));
    if (target) build(target);
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) {
        if (!en.isIntersecting) return;
        observer.unobserve(en.target);
        var v = viewById(en.target.id);
        if (v) build(v);
      });
    }, { rootMargin: '600px 0px' });
    views.forEach(function (v) {
      var section = document.getElementById(v.id);
      if (!section || v.built) return;
      reserve(v);
      observer.observe(section);
    });
    document.addEventListener('click', function (e) {
      var a = e.target.closest && e.target.closest('a[href^="#"]');
      var v = a && viewById(a.getAttribute('href').slice(1));
      if (v) build(v);
    });
    if (target) document.getElementById(target.id).scrollIntoView();
  }
  /* For benchmarks (bench/html-report.mjs): when the page is drawn. */
  if (window.performance && performance.mark) performance.mark('simile:ready');
})();
