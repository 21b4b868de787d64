// The data the pages draw: the embedded data scripts, read on first use; the inputs' state;
// the month range; and the cells (sums by month, provider and topic) that every chart
// aggregates. The first of the pages' plain scripts: the others read what it defines.
"use strict";

// The data scripts call newsdwData(name, gzipped JSON in base64): kept here until read.
var newsdwPacked = newsdwPacked || {};
function newsdwData(name, packed) {
  newsdwPacked[name] = packed;
  var waiting = newsdwPacked["?" + name];
  if (waiting) { delete newsdwPacked["?" + name]; waiting(); }
}

var BASE = null;

var SPEC = JSON.parse(document.getElementById("page-spec").textContent);

var MIN_RATED = 10;      // leaderboards rank providers with at least this many rated articles

var months, providers, topics, providerIndex = {}, topicIndex = {};

function unpack(packed) {
  var bytes = Uint8Array.from(atob(packed), function (c) { return c.charCodeAt(0); });
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).text().then(JSON.parse);
}

var unpacked = {};

function dataNamed(name) {
  // The named data script's data: loaded on first use, inflated once.
  if (!unpacked[name]) {
    unpacked[name] = new Promise(function (resolve) {
      if (newsdwPacked[name]) { resolve(); return; }
      newsdwPacked["?" + name] = resolve;
      var script = document.createElement("script");
      script.src = SPEC.root + "data/" + name + ".js";
      document.head.appendChild(script);
    }).then(function () {
      var packed = newsdwPacked[name];
      delete newsdwPacked[name];
      return unpack(packed);
    });
  }
  return unpacked[name];
}

var state = { range: "data", providers: [], topics: [], allProviders: false };

var results = {};        // chart key -> {columns, rows, sql}

var empty = { topics: { m: [], t: [], n: [], r: [], q: [], lo: [], me: [], hi: [], tp: [] },
  pairs: { m: [], a: [], b: [], n: [] }, m: [], p: [], n: [], r: [], q: [], lo: [], me: [], hi: [], tp: [] };

var written = {};

function load(kind, index) {
  // A provider (p) or topic (t) without dated articles has no data script: nothing to add.
  if (!written[kind][index]) { return Promise.resolve(empty); }
  return dataNamed(kind + index);
}

var COVERED = 0.99;      // the default range holds at least this share of the articles

function monthRange() {
  var last = months.length - 1;
  if (last < 0) { return [0, -1]; }
  if (state.range === "all") { return [0, last]; }
  if (state.range === "data") { return dataRange(); }
  var end = BASE.months.is_complete[last] ? last : last - 1;
  var count = parseInt(state.range, 10);
  if (end < 0) { end = last; }
  return [Math.max(0, end - count + 1), end];
}

function inRange(m, range) { return m >= range[0] && m <= range[1]; }

function dataRange() {
  // The fewest months, ending with the latest (month-to-date included), that hold COVERED
  // of the dated articles: stray old articles do not stretch the axis.
  var counts = BASE.months.articles, last = counts.length - 1;
  var total = counts.reduce(function (a, b) { return a + b; }, 0), sum = 0, start = last;
  while (start > 0 && sum + counts[start] < COVERED * total) { sum += counts[start]; start -= 1; }
  return [start, last];
}

// A cell: month index, provider index, topic index (-1: every topic), articles, rated,
// quality sum, and band counts low / medium / high / top.
function cellsOf(data, fixedProvider, fixedTopic) {
  var out = [];
  for (var i = 0; i < data.m.length; i++) {
    out.push({
      m: data.m[i],
      p: fixedProvider === undefined ? data.p[i] : fixedProvider,
      t: fixedTopic === undefined ? (data.t ? data.t[i] : -1) : fixedTopic,
      n: data.n[i], r: data.r[i], q: data.q[i],
      lo: data.lo[i], me: data.me[i], hi: data.hi[i], tp: data.tp[i]
    });
  }
  return out;
}

// The inputs a computation reads, taken when it starts: `range` may be widened by a chart
// that compares with months before the range, `topics` emptied for topic-free totals.
function inputs(extra) {
  return Object.assign({ range: monthRange(), providers: state.providers, topics: state.topics }, extra || {});
}

var baseProviderCells = null;

function allProviderCells() {
  if (!baseProviderCells) { baseProviderCells = cellsOf(BASE.provider_months, undefined, -1); }
  return baseProviderCells;
}

function providerCells(given) {
  // Cells by provider for the inputs: with topics chosen, one cell per chosen topic.
  var input = given || inputs();
  if (input.topics.length === 0) {
    return Promise.resolve(filterCells(allProviderCells(), input));
  }
  return Promise.all(input.topics.map(function (t) { return load("t", t); })).then(function (parts) {
    var out = [];
    parts.forEach(function (data, i) { out = out.concat(cellsOf(data, undefined, input.topics[i])); });
    return filterCells(out, input);
  });
}

function topicCells(given) {
  // Cells by topic for the inputs: with providers chosen, from their own topic cells.
  var input = given || inputs();
  if (input.providers.length === 0) {
    return Promise.resolve(filterCells(cellsOf(BASE.topic_months, -1), input));
  }
  return Promise.all(input.providers.map(function (p) { return load("p", p); })).then(function (parts) {
    var out = [];
    parts.forEach(function (data, i) { out = out.concat(cellsOf(data.topics, input.providers[i])); });
    return filterCells(out, input);
  });
}

function articleCells(given) {
  // The range's articles of the chosen providers, whatever their topics: shares' totals.
  var input = Object.assign(inputs(), given || {}, { topics: [] });
  return filterCells(allProviderCells(), input);
}

function filterCells(cells, input) {
  var range = input.range;
  var ps = setOf(input.providers), ts = setOf(input.topics);
  return cells.filter(function (c) {
    return inRange(c.m, range) && (input.providers.length === 0 || c.p < 0 || ps[c.p]) &&
      (input.topics.length === 0 || c.t < 0 || ts[c.t]);
  });
}

function setOf(list) {
  var out = {};
  list.forEach(function (x) { out[x] = true; });
  return out;
}

function sum(cells, keyOf) {
  var groups = {}, order = [];
  cells.forEach(function (c) {
    var key = keyOf(c);
    var g = groups[key];
    if (!g) { g = groups[key] = { key: key, n: 0, r: 0, q: 0, lo: 0, me: 0, hi: 0, tp: 0 }; order.push(key); }
    g.n += c.n; g.r += c.r; g.q += c.q; g.lo += c.lo; g.me += c.me; g.hi += c.hi; g.tp += c.tp;
  });
  return order.map(function (k) { return groups[k]; });
}

function byKey(groups) {
  var out = {};
  groups.forEach(function (g) { out[g.key] = g; });
  return out;
}

function avg(g) { return g && g.r > 0 ? g.q / g.r : null; }

// The dimensions a chart groups its cells by: how a cell gives its value, how a value is
// named (as the warehouse keys it, in CSVs), labelled, headed, linked, and which cells hold it.
var DIMENSIONS = {
  provider: { of: function (c) { return c.p; }, name: providerName, label: providerLabel, column: "provider_domain",
    heading: "Provider", drill: "p", cells: function (input) { return providerCells(input); } },
  topic: { of: function (c) { return c.t; }, name: topicName, label: topicLabel, column: "topic_key",
    heading: "Topic", drill: "t", cells: function (input) { return topicCells(input); } }
};

// The orders a chart ranks by, the most first; ties go by name, as each chart's SQL orders.
var ORDERS = {
  articles: function (a, b) { return b.n - a.n; },
  quality: function (a, b) { return avg(b) - avg(a) || b.r - a.r; }
};

// The one aggregate of every chart that ranks: the cells summed by the spec's dimension, the
// groups with articles (and at least `min_rated` rated ones) in the spec's order, the first
// `top` kept. With `apart`, a catch-all topic is left out unless chosen.
function aggregate(cells, spec) {
  var dim = DIMENSIONS[spec.dimension], min = spec.min_rated || 0, order = ORDERS[spec.order || "articles"];
  var groups = sum(cells.filter(function (c) { return dim.of(c) >= 0; }), dim.of).filter(function (g) {
    return g.n > 0 && g.r >= min;
  });
  if (spec.apart) { groups = withoutCatchAll(groups); }
  groups.sort(function (a, b) { return order(a, b) || cmp(dim.name(a.key), dim.name(b.key)); });
  return spec.top ? groups.slice(0, spec.top) : groups;
}

var CATCH_ALL = [9, 10];  // a topic on 9 in 10 of all articles is a catch-all

function catchAll() {
  // The topics on 90% or more of all articles (CATCH_ALL, compared in whole numbers as the
  // SQL does): as a series or a heatmap column they
  // flatten the others and say nothing, so they are shown apart unless chosen.
  var total = providers.articles.reduce(function (a, b) { return a + b; }, 0), out = {};
  topics.articles.forEach(function (n, t) { if (total > 0 && CATCH_ALL[1] * n >= CATCH_ALL[0] * total) { out[t] = true; } });
  return out;
}

function withoutCatchAll(groups) {
  var wide = catchAll(), ts = setOf(state.topics);
  return groups.filter(function (g) { return !wide[g.key] || ts[g.key]; });
}

function catchAllNote() {
  var total = providers.articles.reduce(function (a, b) { return a + b; }, 0), ts = setOf(state.topics);
  var left = Object.keys(catchAll()).filter(function (t) { return !ts[t]; }).map(Number);
  return left.map(function (t) {
    return topicLabel(t) + " is on " + Math.round(100 * topics.articles[t] / total) + "% of all articles: it is left out here (choose it to see it).";
  }).join(" ");
}

function providerName(p) { return providers.domain[p]; }

function topicName(t) { return topics.key[t]; }

function providerLabel(p) { return providers.label[p]; }

function topicLabel(t) { return topics.label[t]; }

function monthTotals(cells) {
  return byKey(sum(cells, function (c) { return c.m; }));
}

var narrow = window.matchMedia("(max-width: 640px)").matches;

var KINDS = {};
