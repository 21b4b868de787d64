// Change between months: the headline tiles and the "growing fastest" lists, with the rules
// that keep a small base or the data's ramp-up from leading them.
"use strict";

// Headline tiles: the latest complete month of the range against the one before.
KINDS.tiles = function () {
  var range = monthRange();
  var end = range[1];
  while (end >= range[0] && end >= 0 && !BASE.months.is_complete[end]) { end -= 1; }
  return providerCells(inputs({ range: [end - 1, end] })).then(function (cells) {
    var totals = monthTotals(cells);
    var columns = ["measure", "month", "value", "previous_month", "previous_value"];
    if (end < range[0] || end < 0) {
      return { columns: columns, rows: [], tiles: [{ label: "Articles", value: "–", note: "no complete month in the range" }] };
    }
    var cur = totals[end] || { n: 0, r: 0, q: 0 }, prev = end - 1 >= 0 ? (totals[end - 1] || { n: 0, r: 0, q: 0 }) : null;
    var activeOf = function (m) { return cells.filter(function (c) { return c.m === m && c.n > 0; }).map(function (c) { return c.p; }); };
    var active = Object.keys(setOf(activeOf(end))).length;
    var activePrev = prev ? Object.keys(setOf(activeOf(end - 1))).length : null;
    var rows = [
      ["articles", months[end], cur.n, prev ? months[end - 1] : null, prev ? prev.n : null],
      ["providers_publishing", months[end], active, prev ? months[end - 1] : null, activePrev],
      ["avg_quality", months[end], round(avg(cur), 2), prev ? months[end - 1] : null, prev ? round(avg(prev), 2) : null]
    ];
    var name = monthName(months[end]);
    return {
      columns: columns, rows: rows,
      tiles: [
        { label: "Articles in " + name, value: fmtInt(cur.n), note: change(cur.n, prev && prev.n, true, prev && prev.n, end - 1) },
        { label: "Providers publishing", value: fmtInt(active), note: change(active, activePrev, true, prev && prev.n, end - 1) },
        { label: "Average quality", value: fmt1(avg(cur)), note: change(avg(cur), prev && avg(prev), false, prev && prev.n, end - 1) }
      ]
    };
  });
};

var MIN_BASE = 30;        // no percentage change on fewer articles than this

var RAMP_UP = 0.1;       // a month under this share of the median month is a ramp-up

function rampUp(m) {
  // The data's first month, or a month under RAMP_UP of the median month with articles
  // (of the months that hold the data): too small a base to compare with.
  var spread = dataRange(), counts = BASE.months.articles;
  var held = counts.slice(spread[0], spread[1] + 1).filter(function (n) { return n > 0; }).sort(function (a, b) { return a - b; });
  if (m < 0 || !held.length) { return false; }
  var mid = held.length % 2 ? held[(held.length - 1) / 2] : (held[held.length / 2 - 1] + held[held.length / 2]) / 2;
  var first = counts.findIndex(function (n) { return n > 0; });
  return m === first || counts[m] < RAMP_UP * mid;
}

function change(now, before, relative, base, previous) {
  // The change on the month before: in percent only on a base of MIN_BASE articles or more;
  // against a ramp-up month, not at all.
  if (now === null || before === null || before === undefined) { return "no month before to compare"; }
  if (rampUp(previous)) {
    return monthName(months[previous]) + " is the data's ramp-up (" + fmtInt(BASE.months.articles[previous]) + " articles): not compared";
  }
  var diff = now - before;
  var sign = diff > 0 ? "▲ +" : diff < 0 ? "▼ −" : "= ";
  if (!relative) { return sign + Math.abs(diff).toFixed(1) + " on the month before"; }
  if (base < MIN_BASE) { return fmtInt(now) + " against " + fmtInt(before) + " the month before"; }
  return sign + fmtInt(Math.abs(diff)) + (before > 0 ? " (" + (diff >= 0 ? "+" : "−") + Math.abs(100 * diff / before).toFixed(0) + "%)" : "") + " on the month before";
}

// Growing fastest: the range's last 3 complete months against the 3 before (with 6 in the
// range), else its latest complete month against the one before (with 2); ranked by
// articles gained, so a small base cannot lead; percent only on MIN_BASE articles or more.
function growthWindow() {
  var range = monthRange(), end = range[1];
  while (end >= 0 && !BASE.months.is_complete[end]) { end -= 1; }
  var complete = end >= range[0] ? end - range[0] + 1 : 0;
  return { end: end, width: complete >= 6 ? 3 : complete >= 2 ? 1 : 0 };
}

function growthRows(cells, keyOf, win, minArticles) {
  var recent = {}, before = {};
  cells.forEach(function (c) {
    var k = keyOf(c);
    if (k < 0) { return; }
    if (c.m > win.end - win.width && c.m <= win.end) { recent[k] = (recent[k] || 0) + c.n; }
    else if (c.m > win.end - 2 * win.width && c.m <= win.end - win.width) { before[k] = (before[k] || 0) + c.n; }
  });
  return Object.keys(recent).map(Number).filter(function (k) { return recent[k] >= minArticles; }).map(function (k) {
    var b = before[k] || 0;
    return { k: k, now: recent[k], before: b, gained: recent[k] - b, growth: b >= MIN_BASE ? recent[k] / b - 1 : null };
  });
}

function growthNote(win, rows, minArticles) {
  if (!win.width) { return "The range needs 2 complete months to compare."; }
  var when = win.width === 3 ? monthName(months[win.end - 2]) + "–" + monthName(months[win.end]) + " against the 3 months before"
    : monthName(months[win.end]) + " against " + monthName(months[win.end - 1]);
  var fell = rows.length && rows.every(function (r) { return r.gained <= 0; });
  return when + "; ranked by articles gained; at least " + minArticles + " articles" +
    (win.width === 3 ? " in the last 3" : "") + "." + (fell ? " None grew: these fell the least." : "");
}

KINDS.growth = function (section) {
  var o = section.options, dim = DIMENSIONS[o.dimension];
  var win = growthWindow();
  var span = inputs({ range: [win.end - 2 * Math.max(win.width, 1) + 1, win.end] });
  return dim.cells(span).then(function (cells) {
    var rows = win.width ? growthRows(cells, dim.of, win, o.min_articles) : [];
    rows.sort(function (x, y) { return y.gained - x.gained || y.now - x.now || cmp(dim.name(x.k), dim.name(y.k)); });
    rows = rows.slice(0, o.top);
    var heads = win.width === 1 ? [monthName(months[win.end]), monthName(months[win.end - 1])] : ["Last 3 months", "3 before"];
    return {
      columns: [dim.column, "recent_articles", "previous_articles", "gained", "growth"],
      rows: rows.map(function (r) { return [dim.name(r.k), r.now, r.before, r.gained, round(r.growth, 4)]; }),
      note: growthNote(win, rows, o.min_articles),
      table: {
        headings: [dim.heading, heads[0], heads[1], "Gained", "Change"],
        numeric: [false, true, true, true, true], key: 3,
        cells: rows.map(function (r) {
          var change = r.growth !== null ? (r.growth >= 0 ? "+" : "−") + Math.abs(100 * r.growth).toFixed(0) + "%"
            : r.before === 0 ? "new" : "–";
          return [{ text: dim.label(r.k), href: drillHref(dim.drill, r.k) }, fmtInt(r.now), fmtInt(r.before),
            (r.gained > 0 ? "+" : r.gained < 0 ? "−" : "") + fmtInt(Math.abs(r.gained)), change];
        }),
        sort: rows.map(function (r) { return [dim.label(r.k), r.now, r.before, r.gained, r.growth === null ? -1e9 : r.growth]; })
      }
    };
  });
};
