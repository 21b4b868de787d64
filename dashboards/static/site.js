// The pages' engine: reads the embedded data, follows the inputs, draws every chart and table,
// and downloads the rows behind each. No framework: plotly.js draws, this script computes.
"use strict";

// The data scripts call newsdwData(name, gzipped JSON in base64): kept here until read.
var newsdwPacked = newsdwPacked || {};
function newsdwData(name, packed) {
  newsdwPacked[name] = packed;
  var waiting = newsdwPacked["?" + name];
  if (waiting) { delete newsdwPacked["?" + name]; waiting(); }
}

(function () {
  var BASE = null;
  var SPEC = JSON.parse(document.getElementById("page-spec").textContent);
  var BANDS = ["top", "high", "medium", "low", "unrated"];
  // Ordered bands, blue for the better and orange for the worse, told apart by lightness and
  // by hue under deuteranopia; each at least 3:1 against the white card.
  var BAND_COLOURS = { top: "#08306b", high: "#4a78b5", medium: "#b8792a", low: "#8a3b0a", unrated: "#767676" };
  // One colour per provider or topic on every page and under every filter: its place in the
  // warehouse's order (most articles first) picks an Okabe–Ito hue, darkened to 3:1 on white,
  // then a dash past the 8th and a marker past the 24th: 192 providers or topics look apart.
  var ENTITY_COLOURS = ["#c38700", "#4a9bc8", "#009e73", "#9c942b", "#0072b2", "#d55e00", "#cc79a7", "#000000"];
  var ENTITY_DASHES = ["solid", "dash", "dot"];
  function entityColour(index) { return ENTITY_COLOURS[index % ENTITY_COLOURS.length]; }
  function entityDash(index) { return ENTITY_DASHES[Math.floor(index / ENTITY_COLOURS.length) % ENTITY_DASHES.length]; }
  var ENTITY_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "triangle-down", "star", "hexagon", "x"];
  function entitySymbol(index) {
    var styles = ENTITY_COLOURS.length * ENTITY_DASHES.length;
    return ENTITY_SYMBOLS[Math.floor(index / styles) % ENTITY_SYMBOLS.length];
  }
  // Light to dark, so the largest share is the darkest cell (ColorBrewer's Blues). Plotly's
  // named "Blues" runs dark to light: with it, 0% was the darkest.
  var HEAT_SCALE = [[0, "#f7fbff"], [0.25, "#c6dbef"], [0.5, "#6baed6"], [0.75, "#2171b5"], [1, "#08306b"]];
  var THIN = 5;            // a month with fewer articles is drawn as thin
  var MIN_RATED = 10;      // leaderboards rank providers with at least this many rated articles
  var PLOTLY_CONFIG = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"],
    // On a phone plotly's tool bar would put 20 px buttons over the chart: the CSV is the way out.
    displayModeBar: !window.matchMedia("(max-width: 640px)").matches };
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

  // ---- state -------------------------------------------------------------------------------
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

  // ---- month range -------------------------------------------------------------------------
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

  function rangeNote() {
    // What the range leaves out, and how far the latest month has come: one line each.
    var lines = [], range = monthRange(), counts = BASE.months.articles, last = months.length - 1;
    if (last < 0) { return ""; }
    var before = 0, firstBefore = -1, lastBefore = -1;
    counts.forEach(function (n, m) {
      if (m < range[0] && n > 0) { before += n; lastBefore = m; if (firstBefore < 0) { firstBefore = m; } }
    });
    if (state.range === "data" && before > 0) {
      var years = months[firstBefore].slice(0, 4), end = months[lastBefore].slice(0, 4);
      lines.push(fmtInt(before) + " earlier article" + (before === 1 ? "" : "s") + ", " +
        (years === end ? years : years + "–" + end) + ", not shown (choose All months to see them).");
    }
    var day = BASE.months.latest_day;
    if (!BASE.months.is_complete[last] && inRange(last, range) && day) {
      var elapsed = +day.slice(8, 10);
      var parts = months[last].split("-");
      var length = new Date(Date.UTC(+parts[0], +parts[1], 0)).getUTCDate();
      lines.push(monthName(months[last]) + " is month-to-date: " + fmtInt(counts[last]) + " articles in its first " +
        elapsed + " day" + (elapsed === 1 ? "" : "s") + ", a run rate of about " +
        fmtInt(Math.round(counts[last] * length / elapsed)) + " for the month.");
    }
    return lines.join(" ");
  }

  // ---- cells: the sums every chart aggregates ----------------------------------------------
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
  function round(x, digits) {
    if (x === null || x === undefined || isNaN(x)) { return null; }
    var f = Math.pow(10, digits);
    return Math.round(x * f) / f;
  }

  // Leaders: groups with the most articles, ties by name, as the SQL orders them.
  function leaders(groups, count, nameOf) {
    return groups.slice().filter(function (g) { return g.n > 0; }).sort(function (a, b) {
      return b.n - a.n || (nameOf(a.key) < nameOf(b.key) ? -1 : nameOf(a.key) > nameOf(b.key) ? 1 : 0);
    }).slice(0, count);
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

  // Plotly renders a subset of HTML in labels: content text is escaped to show as written.
  function esc(text) {
    return String(text === null || text === undefined ? "" : text)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function monthTotals(cells) {
    return byKey(sum(cells, function (c) { return c.m; }));
  }

  // ---- figure helpers -----------------------------------------------------------------------
  var narrow = window.matchMedia("(max-width: 640px)").matches;

  // An axis of article counts: whole numbers only, so a provider with 1 article a month
  // is not drawn against ticks of 0.2.
  function countAxis(axis, values) {
    var max = 0;
    values.forEach(function (v) { if (v > max) { max = v; } });
    if (max < 5) { axis.dtick = 1; axis.tick0 = 0; }
    axis.tickformat = ",d";
    return axis;
  }

  function layout(extra) {
    var base = {
      template: "none", paper_bgcolor: "white", plot_bgcolor: "white",
      font: { family: "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", size: 12, color: "#1f2933" },
      margin: { l: 56, r: 16, t: 12, b: 44 }, showlegend: false, height: narrow ? 300 : 360,
      hoverlabel: { namelength: -1 }, colorway: ENTITY_COLOURS,
      xaxis: { gridcolor: "#e5eaf0", linecolor: "#e5eaf0", automargin: true },
      yaxis: { gridcolor: "#e5eaf0", linecolor: "#e5eaf0", automargin: true, rangemode: "tozero" }
    };
    Object.keys(extra || {}).forEach(function (k) {
      if (typeof extra[k] === "object" && base[k] && !Array.isArray(extra[k])) {
        base[k] = Object.assign({}, base[k], extra[k]);
      } else {
        base[k] = extra[k];
      }
    });
    return base;
  }

  function monthAxis(range) {
    // Shade the incomplete latest month, so that its low count reads as "still arriving".
    var shapes = [], annotations = [];
    var last = months.length - 1;
    if (last >= 0 && !BASE.months.is_complete[last] && inRange(last, range)) {
      shapes.push({ type: "rect", xref: "x", yref: "paper", x0: shift(months[last], -0.5),
        x1: shift(months[last], 0.5), y0: 0, y1: 1, fillcolor: "#fff3cd", opacity: 0.6, line: { width: 0 }, layer: "below" });
      annotations.push({ x: months[last], y: 1, xref: "x", yref: "paper", text: "incomplete", showarrow: false,
        yanchor: "bottom", font: { size: 10, color: "#8a6d3b" } });
    }
    // Ticks on month starts, every 1 to 12 months as the range grows, each label in the middle
    // of its period: plotly's own ticks for a few months fall every 30 days and repeat a month.
    var count = Math.max(1, range[1] - range[0] + 1);
    var step = count <= 12 ? 1 : count <= 24 ? 2 : count <= 48 ? 3 : count <= 96 ? 6 : 12;
    var first = months.length ? months[Math.max(0, range[0])] + "-01" : undefined;
    return { shapes: shapes, annotations: annotations, xaxis: { type: "date", tickformat: step === 12 ? "%Y" : "%b %Y",
      hoverformat: "%b %Y", dtick: "M" + step, tick0: first, ticklabelmode: "period" } };
  }

  function monthPeriods(data) {
    // A month's bar or point stands in the middle of the month, as the shading of the month
    // and the period labels do.
    data.forEach(function (trace) { trace.xperiod = "M1"; trace.xperiodalignment = "middle"; });
    return data;
  }

  function shift(month, halves) {
    // The date `halves` of a month away from the 15th of `month`, for shading one month.
    var parts = month.split("-");
    var d = new Date(Date.UTC(+parts[0], +parts[1] - 1, 1));
    var days = new Date(Date.UTC(+parts[0], +parts[1], 0)).getUTCDate();
    d.setUTCDate(1 + Math.round(days / 2 + halves * days));
    return d.toISOString().slice(0, 10);
  }

  function monthList(range) {
    var out = [];
    for (var m = range[0]; m <= range[1]; m++) { out.push(m); }
    return out;
  }

  var THIN_RATED = 20;     // an average over fewer rated articles is thin
  var THIN_SHARE = 0.05;   // and so is a month with under this share of the median month

  function thinAverages(rows) {
    // rows: [month, articles, rated, average]; whether each month's average is thin.
    var counts = rows.map(function (r) { return r[1]; }).filter(function (n) { return n > 0; }).sort(function (a, b) { return a - b; });
    var mid = !counts.length ? 0 : counts.length % 2 ? counts[(counts.length - 1) / 2]
      : (counts[counts.length / 2 - 1] + counts[counts.length / 2]) / 2;
    return rows.map(function (r) { return r[2] < THIN_RATED || r[1] < THIN_SHARE * mid; });
  }

  function thinMarker(counts, colour, symbol) {
    // Thin months (fewer than THIN articles) get open markers; the others filled ones.
    var shape = symbol || "circle";
    return {
      color: colour, size: counts.map(function (n) { return n > 0 && n < THIN ? 7 : 5; }),
      symbol: counts.map(function (n) { return n < THIN ? shape + "-open" : shape; })
    };
  }

  function noData(message) {
    return layout({ xaxis: { visible: false }, yaxis: { visible: false },
      annotations: [{ text: message, showarrow: false, x: 0.5, y: 0.5, xref: "paper", yref: "paper", font: { size: 16 } }] });
  }

  // ---- SQL of each chart, filled with the inputs ----------------------------------------------
  function sqlList(values) {
    if (values.length === 0) { return "[]::varchar[]"; }
    return "[" + values.map(function (v) { return "'" + String(v).replace(/'/g, "''") + "'"; }).join(", ") + "]";
  }

  function fillSql(template, options) {
    var range = monthRange();
    var from = months.length ? months[range[0]] : "1970-01";
    var to = months.length ? months[Math.max(range[1], range[0])] : "1970-01";
    var values = {
      from: "DATE '" + from + "-01'", to: "DATE '" + to + "-01'",
      providers: sqlList(state.providers.map(providerName)), topics: sqlList(state.topics.map(topicName)),
      min_rated: String(options.min_rated && !state.allProviders ? MIN_RATED : 0)
    };
    Object.keys(options).forEach(function (key) {
      if (values[key] !== undefined) { return; }
      var v = options[key];
      if (typeof v === "number") { values[key] = String(v); }
      else if (typeof v === "string") { values[key] = "'" + v.replace(/'/g, "''") + "'"; }
    });
    // Placeholders are $name; $-quoted strings and other dollars are left alone.
    return template.replace(/\$([a-z_]+)\b/g, function (whole, name) {
      return values[name] !== undefined ? values[name] : whole;
    });
  }

  // ---- chart kinds: each returns {columns, rows, data, layout} or {columns, rows, table} ------
  var KINDS = {};

  // Articles per month, stacked by quality band.
  KINDS.band_months = function (section) {
    return providerCells().then(function (cells) {
      var range = monthRange();
      var totals = monthTotals(cells);
      var ms = monthList(range);
      var columns = ["month", "articles", "low", "medium", "high", "top", "unrated"];
      var rows = ms.map(function (m) {
        var g = totals[m] || { n: 0, lo: 0, me: 0, hi: 0, tp: 0 };
        return [months[m], g.n, g.lo, g.me, g.hi, g.tp, g.n - g.lo - g.me - g.hi - g.tp];
      });
      var percent = section.options.percent;
      var x = rows.map(function (r) { return r[0]; });
      var data = BANDS.map(function (band) {
        var col = columns.indexOf(band === "medium" ? "medium" : band);
        var y = rows.map(function (r) {
          if (!percent) { return r[col]; }
          return r[1] > 0 ? 100 * r[col] / r[1] : null;
        });
        return {
          type: "bar", name: band, x: x, y: y, marker: { color: BAND_COLOURS[band],
            opacity: rows.map(function (r) { return r[1] < THIN ? 0.35 : 1; }) },
          customdata: rows.map(function (r) { return [r[col], r[1], r[1] < THIN ? " · thin month" : ""]; }),
          hovertemplate: band + ": %{customdata[0]:,} of %{customdata[1]:,} articles" +
            (percent ? " (%{y:.0f}%)" : "") + "%{customdata[2]}<extra></extra>"
        };
      });
      var axis = monthAxis(range);
      return {
        columns: columns, rows: rows, data: data, legend: BANDS.map(function (b) { return { label: b, colour: BAND_COLOURS[b] }; }),
        layout: layout({ barmode: "stack", hovermode: "x unified", shapes: axis.shapes, annotations: axis.annotations,
          xaxis: axis.xaxis, yaxis: percent ? { title: { text: "% of the month's articles" }, range: [0, 100] }
            : countAxis({ title: { text: "articles" } }, rows.map(function (r) { return r[1]; })) })
      };
    });
  };

  // Average quality per month, a gap where a month has no rated article.
  KINDS.quality_months = function () {
    return providerCells().then(function (cells) {
      var range = monthRange();
      var totals = monthTotals(cells);
      var rows = monthList(range).map(function (m) {
        var g = totals[m] || { n: 0, r: 0, q: 0 };
        return [months[m], g.n, g.r, round(avg(g), 2)];
      });
      var rated = rows.map(function (r) { return r[2]; });
      var thin = thinAverages(rows);
      var axis = monthAxis(range);
      var solid = rows.map(function (r, i) { return thin[i] ? null : r[3]; });
      var held = solid.filter(function (v) { return v !== null; });
      var hover = "%{x|%b %Y}: average %{y:.1f} over %{customdata[0]:,} rated articles%{customdata[1]}<extra></extra>";
      var custom = rows.map(function (r, i) { return [r[2], thin[i] ? " · thin month, not joined to the line" : ""]; });
      return {
        columns: ["month", "articles", "rated_articles", "avg_quality"], rows: rows,
        // A thin month's average is a loose dot: never joined to the line, never setting the axis.
        data: [{
          type: "scatter", mode: "lines+markers", name: "average quality", connectgaps: false,
          x: rows.map(function (r) { return r[0]; }), y: solid,
          line: { color: "#08519c", width: 2 }, marker: thinMarker(rated, "#08519c"),
          customdata: custom, hovertemplate: hover
        }, {
          type: "scatter", mode: "markers", showlegend: false, cliponaxis: true,
          x: rows.map(function (r) { return r[0]; }), y: rows.map(function (r, i) { return thin[i] ? r[3] : null; }),
          marker: { color: "#08519c", symbol: "circle-open", size: 7 }, customdata: custom, hovertemplate: hover
        }],
        layout: layout({ hovermode: "closest", shapes: axis.shapes, annotations: axis.annotations, xaxis: axis.xaxis,
          yaxis: held.length ? { title: { text: "average quality" }, range: [0, 1.1 * Math.max.apply(null, held)] }
            : { title: { text: "average quality" }, rangemode: "tozero" } })
      };
    });
  };

  // One line per leading provider or topic: articles, or share of the month's articles.
  KINDS.series = function (section) {
    var o = section.options;
    var byTopic = o.by === "topic";
    return (byTopic ? topicCells() : providerCells()).then(function (cells) {
      var range = monthRange();
      var keyOf = byTopic ? function (c) { return c.t; } : function (c) { return c.p; };
      var name = byTopic ? topicName : providerName;
      var label = byTopic ? topicLabel : providerLabel;
      var groups = sum(cells.filter(function (c) { return keyOf(c) >= 0; }), keyOf);
      var top = leaders(byTopic ? withoutCatchAll(groups) : groups, o.top, name);
      var totals = monthTotals(byTopic ? articleCells() : articleCells({ providers: [] }));
      var share = o.measure === "share";
      var ms = monthList(range);
      var rows = [], data = [], legend = [];
      top.forEach(function (leader) {
        var mine = byKey(sum(cells.filter(function (c) { return keyOf(c) === leader.key; }), function (c) { return c.m; }));
        var ys = [], counts = [];
        ms.forEach(function (m) {
          var n = mine[m] ? mine[m].n : 0;
          var total = totals[m] ? totals[m].n : 0;
          var value = share ? (total > 0 ? round(n / total, 4) : null) : n;
          rows.push([months[m], name(leader.key), n, total, total > 0 ? round(n / total, 4) : null]);
          ys.push(share ? (value === null ? null : value * 100) : value);
          counts.push(total);
        });
        var colour = entityColour(leader.key);
        legend.push({ label: label(leader.key), colour: colour, href: drillHref(byTopic ? "t" : "p", leader.key) });
        data.push({
          type: "scatter", mode: "lines+markers", name: esc(label(leader.key)), connectgaps: false,
          x: ms.map(function (m) { return months[m]; }), y: ys, line: { color: colour, width: 1.8, dash: entityDash(leader.key) },
          marker: thinMarker(counts, colour, entitySymbol(leader.key)),
          customdata: ms.map(function (m, j) {
            var n = mine[m] ? mine[m].n : 0;
            return [n, counts[j], counts[j] < THIN ? " · thin month" : ""];
          }),
          hovertemplate: "%{fullData.name}: " + (share ? "%{y:.1f}% · " : "") +
            "%{customdata[0]:,} of %{customdata[1]:,} articles%{customdata[2]}<extra></extra>"
        });
      });
      var columns = ["month", byTopic ? "topic_key" : "provider_domain", "articles", "month_articles", "share_of_articles"];
      var axis = monthAxis(range);
      return {
        columns: columns, rows: rows, data: data, legend: legend, note: byTopic ? catchAllNote() : "",
        layout: top.length ? layout({ hovermode: "closest", shapes: axis.shapes, annotations: axis.annotations, xaxis: axis.xaxis,
          yaxis: share ? { title: { text: "% of the month's articles" } }
            : countAxis({ title: { text: "articles" } }, rows.map(function (r) { return r[2]; })) }) : noData("No articles for these inputs")
      };
    });
  };

  // A ranking of providers or topics over the range, as bars or as a sortable table.
  KINDS.ranking = function (section) {
    var o = section.options;
    var byTopic = o.by === "topic";
    return (byTopic ? topicCells() : providerCells()).then(function (cells) {
      var keyOf = byTopic ? function (c) { return c.t; } : function (c) { return c.p; };
      var name = byTopic ? topicName : providerName;
      var label = byTopic ? topicLabel : providerLabel;
      var groups = sum(cells.filter(function (c) { return keyOf(c) >= 0; }), keyOf);
      var min = o.min_rated && !state.allProviders ? MIN_RATED : 0;
      var ranked = groups.filter(function (g) { return g.n > 0 && g.r >= min; });
      ranked.sort(o.order === "quality"
        ? function (a, b) { return avg(b) - avg(a) || b.r - a.r || cmp(name(a.key), name(b.key)); }
        : function (a, b) { return b.n - a.n || cmp(name(a.key), name(b.key)); });
      if (o.top) { ranked = ranked.slice(0, o.top); }
      var columns = [byTopic ? "topic_key" : "provider_domain", byTopic ? "topic" : "provider_name", "articles", "rated_articles", "avg_quality"];
      var rawName = byTopic ? topicLabel : function (p) { return providers.name[p]; };
      var rows = ranked.map(function (g) { return [name(g.key), rawName(g.key), g.n, g.r, round(avg(g), 2)]; });
      var result = { columns: columns, rows: rows, note: rankingNote(o, byTopic, groups.length, ranked.length) };
      if (o.table) {
        result.table = {
          headings: [byTopic ? "Topic" : "Provider", byTopic ? "Key" : "Domain", "Articles", "Rated", "Average quality"],
          numeric: [false, false, true, true, true], key: o.order === "quality" ? 4 : 2,
          cells: ranked.map(function (g) {
            return [{ text: label(g.key), href: drillHref(byTopic ? "t" : "p", g.key) }, name(g.key), fmtInt(g.n), fmtInt(g.r), fmt1(avg(g))];
          }),
          sort: ranked.map(function (g) { return [label(g.key), name(g.key), g.n, g.r, avg(g)]; })
        };
        return result;
      }
      var quality = o.order === "quality";
      var shown = ranked.slice().reverse();
      result.data = [{
        type: "bar", orientation: "h", marker: { color: quality ? "#1b9e77" : "#3b6ea8" },
        x: shown.map(function (g) { return quality ? round(avg(g), 2) : g.n; }),
        y: shown.map(function (g) { return esc(shortLabel(label(g.key))); }),
        customdata: shown.map(function (g) { return [g.n, g.r, fmt1(avg(g))]; }),
        hovertemplate: "%{y}: %{customdata[0]:,} articles, %{customdata[1]:,} rated, average quality %{customdata[2]}<extra></extra>"
      }];
      result.layout = ranked.length ? layout({ height: Math.max(260, 24 * ranked.length + 70), margin: { l: 8, r: 16, t: 8, b: 40 },
        xaxis: quality ? { title: { text: "average quality" }, rangemode: "tozero" }
          : countAxis({ title: { text: "articles" }, rangemode: "tozero" }, result.data[0].x), yaxis: { automargin: true } })
        : noData("No articles for these inputs");
      result.links = shown.map(function (g) { return drillHref(byTopic ? "t" : "p", g.key); });
      return result;
    });
  };

  function rankingNote(o, byTopic, total, shown) {
    if (!o.min_rated) { return ""; }
    if (state.allProviders) { return "All providers with articles in the range."; }
    return "Only providers with at least " + MIN_RATED + " rated articles in the range are ranked (" +
      fmtInt(shown) + " of " + fmtInt(total) + "); tick the box to show all.";
  }

  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function fmtInt(n) { return n === null || n === undefined ? "–" : Number(n).toLocaleString("en-US"); }
  function fmt1(x) { return x === null || x === undefined || isNaN(x) ? "–" : x.toFixed(1); }
  // Axis labels are cut to fit beside the plot: on a phone a long title would leave it no room.
  var LABEL_CHARS = narrow ? 26 : 60;
  function shortLabel(text) {
    text = String(text);
    return text.length > LABEL_CHARS ? text.slice(0, LABEL_CHARS - 1) + "…" : text;
  }

  // Providers × topics: the share of each provider's articles carrying each topic.
  KINDS.heatmap = function (section) {
    var o = section.options;
    return providerCells().then(function (pcells) {
      var top = state.providers.length ? sum(pcells, function (c) { return c.p; }).filter(function (g) { return g.n > 0; })
        : leaders(sum(pcells, function (c) { return c.p; }), o.providers_n, providerName);
      top = leaders(top, o.providers_n, providerName);
      return Promise.all(top.map(function (g) { return load("p", g.key); })).then(function (parts) {
        var range = monthRange(), ts = setOf(state.topics);
        var cells = [];
        parts.forEach(function (data, i) {
          cellsOf(data.topics, top[i].key).forEach(function (c) {
            if (inRange(c.m, range) && (state.topics.length === 0 || ts[c.t])) { cells.push(c); }
          });
        });
        var topicTop = leaders(withoutCatchAll(sum(cells, function (c) { return c.t; })), o.topics_n, topicName);
        var totals = byKey(sum(baseProviderFor(top), function (c) { return c.p; }));
        var pairs = byKey(sum(cells, function (c) { return c.p + ":" + c.t; }));
        var rows = [];
        var z = top.map(function (p) {
          return topicTop.map(function (t) {
            var g = pairs[p.key + ":" + t.key];
            var n = g ? g.n : 0;
            var total = totals[p.key] ? totals[p.key].n : 0;
            rows.push([providerName(p.key), topicName(t.key), n, total, total ? round(n / total, 4) : null]);
            return total ? 100 * n / total : null;
          });
        });
        var custom = top.map(function (p) {
          return topicTop.map(function (t) {
            var g = pairs[p.key + ":" + t.key];
            return [g ? g.n : 0, totals[p.key] ? totals[p.key].n : 0];
          });
        });
        return {
          columns: ["provider_domain", "topic_key", "articles", "provider_articles", "share_of_provider"], rows: rows,
          note: catchAllNote(),
          data: [{ type: "heatmap", z: z, x: topicTop.map(function (t) { return esc(shortLabel(topicLabel(t.key))); }),
            y: top.map(function (p) { return esc(shortLabel(providerLabel(p.key))); }), customdata: custom,
            colorscale: HEAT_SCALE, zmin: 0, colorbar: { title: { text: "%" }, thickness: 10 },
            hovertemplate: "%{y} · %{x}<br>%{customdata[0]:,} of %{customdata[1]:,} articles (%{z:.1f}%)<extra></extra>" }],
          layout: rows.length ? layout({ height: Math.max(320, 26 * top.length + 150), margin: { l: 8, r: 8, t: 8, b: 8 },
            xaxis: { tickangle: -40, side: "bottom", automargin: true }, yaxis: { autorange: "reversed", automargin: true } })
            : noData("No topics for these inputs")
        };
      });
    });
  };

  function baseProviderFor(top) {
    // The providers' articles in the range under the topic-free inputs: the heat denominator.
    var keys = setOf(top.map(function (g) { return g.key; }));
    return articleCells({ providers: [] }).filter(function (c) { return keys[c.p]; });
  }

  // Topic pairs of the leading topics by lift over the range and providers.
  KINDS.pairs = function (section) {
    var o = section.options;
    var source = state.providers.length
      ? Promise.all(state.providers.map(function (p) { return load("p", p); })).then(function (parts) {
        return parts.map(function (d) { return d.pairs; });
      }) : Promise.resolve([BASE.pairs]);
    return Promise.all([source, topicCells(inputs({ topics: [] })), Promise.resolve(articleCells())])
      .then(function (all) {
        var range = monthRange(), ts = setOf(state.topics);
        var counts = {};
        all[0].forEach(function (d) {
          for (var i = 0; i < d.m.length; i++) {
            if (!inRange(d.m[i], range)) { continue; }
            if (state.topics.length && !ts[d.a[i]] && !ts[d.b[i]]) { continue; }
            var key = d.a[i] + ":" + d.b[i];
            counts[key] = (counts[key] || 0) + d.n[i];
          }
        });
        var single = byKey(sum(all[1], function (c) { return c.t; }));
        var total = all[2].reduce(function (s, c) { return s + c.n; }, 0);
        var rows = Object.keys(counts).map(function (key) {
          var ab = key.split(":").map(Number), n = counts[key];
          var na = single[ab[0]] ? single[ab[0]].n : 0, nb = single[ab[1]] ? single[ab[1]].n : 0;
          return { a: ab[0], b: ab[1], n: n, lift: na && nb ? n * total / (na * nb) : null };
        }).filter(function (r) { return r.n >= o.min_articles && r.lift !== null && r.lift > 1; });
        rows.sort(function (x, y) { return y.lift - x.lift || y.n - x.n || cmp(topicName(x.a), topicName(y.a)) || cmp(topicName(x.b), topicName(y.b)); });
        rows = rows.slice(0, o.top);
        var result = {
          columns: ["topic_key_a", "topic_key_b", "articles", "lift"],
          rows: rows.map(function (r) { return [topicName(r.a), topicName(r.b), r.n, round(r.lift, 2)]; })
        };
        var shown = rows.slice().reverse();
        result.data = [{ type: "bar", orientation: "h", marker: { color: "#7570b3" },
          x: shown.map(function (r) { return round(r.lift, 2); }),
          y: shown.map(function (r) { return esc(shortLabel(topicLabel(r.a)) + " + " + shortLabel(topicLabel(r.b))); }),
          customdata: shown.map(function (r) { return r.n; }),
          hovertemplate: "%{y}: lift %{x:.2f}, %{customdata:,} articles<extra></extra>" }];
        // Lift 1 is chance: a dotted line marks it, and only pairs above it are listed.
        result.layout = rows.length ? layout({ height: Math.max(260, 24 * rows.length + 70), margin: { l: 8, r: 16, t: 24, b: 40 },
          xaxis: { title: { text: "lift" }, rangemode: "tozero" }, yaxis: { automargin: true },
          shapes: [{ type: "line", xref: "x", yref: "paper", x0: 1, x1: 1, y0: 0, y1: 1, line: { color: "#444", width: 1.5, dash: "dot" } }],
          annotations: [{ x: 1, y: 1, xref: "x", yref: "paper", text: "chance", showarrow: false, yanchor: "bottom", font: { size: 10, color: "#444" } }] })
          : noData("No pair of " + o.min_articles + " or more articles comes together more often than chance");
        return result;
      });
  };

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

  function monthName(month) {
    var parts = month.split("-");
    return ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][+parts[1] - 1] + " " + parts[0];
  }

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
    var o = section.options;
    var byTopic = o.by === "topic";
    var win = growthWindow();
    var span = inputs({ range: [win.end - 2 * Math.max(win.width, 1) + 1, win.end] });
    return (byTopic ? topicCells(span) : providerCells(span)).then(function (cells) {
      var name = byTopic ? topicName : providerName, label = byTopic ? topicLabel : providerLabel;
      var rows = win.width ? growthRows(cells, byTopic ? function (c) { return c.t; } : function (c) { return c.p; }, win, o.min_articles) : [];
      rows.sort(function (x, y) { return y.gained - x.gained || y.now - x.now || cmp(name(x.k), name(y.k)); });
      rows = rows.slice(0, o.top);
      var heads = win.width === 1 ? [monthName(months[win.end]), monthName(months[win.end - 1])] : ["Last 3 months", "3 before"];
      return {
        columns: [byTopic ? "topic_key" : "provider_domain", "recent_articles", "previous_articles", "gained", "growth"],
        rows: rows.map(function (r) { return [name(r.k), r.now, r.before, r.gained, round(r.growth, 4)]; }),
        note: growthNote(win, rows, o.min_articles),
        table: {
          headings: [byTopic ? "Topic" : "Provider", heads[0], heads[1], "Gained", "Change"],
          numeric: [false, true, true, true, true], key: 3,
          cells: rows.map(function (r) {
            var change = r.growth !== null ? (r.growth >= 0 ? "+" : "−") + Math.abs(100 * r.growth).toFixed(0) + "%"
              : r.before === 0 ? "new" : "–";
            return [{ text: label(r.k), href: drillHref(byTopic ? "t" : "p", r.k) }, fmtInt(r.now), fmtInt(r.before),
              (r.gained > 0 ? "+" : r.gained < 0 ? "−" : "") + fmtInt(Math.abs(r.gained)), change];
          }),
          sort: rows.map(function (r) { return [label(r.k), r.now, r.before, r.gained, r.growth === null ? -1e9 : r.growth]; })
        }
      };
    });
  };

  // ---- stories -----------------------------------------------------------------------------
  function storyData() {
    return dataNamed("stories");
  }

  function chosenStories(data) {
    var range = monthRange();
    var ps = setOf(state.providers.map(providerName)), ts = setOf(state.topics.map(topicName));
    var list = data.stories.filter(function (s) {
      if (!inRange(s.m, range)) { return false; }
      if (state.providers.length && !s.domains.some(function (d) { return ps[data.domains[d]]; })) { return false; }
      if (state.topics.length && !s.topics.some(function (t) { return ts[data.topics[t]]; })) { return false; }
      return true;
    });
    list.sort(function (a, b) { return b.providers - a.providers || b.items - a.items || cmp(a.id, b.id); });
    return list;
  }

  KINDS.stories = function (section) {
    var o = section.options;
    return storyData().then(function (data) {
      var list = chosenStories(data).slice(0, o.top);
      var columns = ["story_id", "title", "first_published_at", "first_provider_domain", "providers", "items", "span_hours"];
      return {
        columns: columns,
        rows: list.map(function (s) { return [s.id, s.title, s.first, data.domains[s.first_domain], s.providers, s.items, s.span]; }),
        table: {
          headings: ["Story", "First", "First published", "Outlets", "Items", "Span (h)"],
          numeric: [false, false, false, true, true, true], key: 3,
          cells: list.map(function (s) {
            return [s.title === null ? "(no title)" : s.title, data.domains[s.first_domain], s.first.slice(0, 16).replace("T", " "),
              fmtInt(s.providers), fmtInt(s.items), fmt1(s.span)];
          }),
          sort: list.map(function (s) { return [s.title || "", data.domains[s.first_domain], s.first, s.providers, s.items, s.span]; })
        }
      };
    });
  };

  KINDS.story_timeline = function (section) {
    var o = section.options;
    return storyData().then(function (data) {
      var list = chosenStories(data).slice(0, o.top);
      var data2 = [], ys = list.map(function (s, i) {
        return esc("#" + (i + 1) + " " + shortLabel(s.title === null ? "(no title)" : s.title));
      });
      var xs = [], yv = [], text = [], colour = [];
      list.forEach(function (s, i) {
        s.item_list.forEach(function (it) {
          xs.push(it.h); yv.push(ys[i]); text.push(esc(data.domains[it.d]));
          colour.push(it.h === 0 ? "#d95f02" : "#3b6ea8");
        });
      });
      data2.push({ type: "scatter", mode: "markers", x: xs, y: yv, text: text, marker: { color: colour, size: 9, opacity: 0.85 },
        hovertemplate: "%{text}: %{x:.1f} h after the first<extra></extra>" });
      return {
        columns: STORY_ITEM_COLUMNS, rows: storyItemRows(list, data), data: data2,
        note: itemsNote(list),
        layout: list.length ? layout({ height: Math.max(280, 34 * list.length + 80), margin: { l: 8, r: 16, t: 8, b: 40 },
          xaxis: { title: { text: "hours after the first" }, rangemode: "tozero" }, yaxis: { autorange: "reversed", automargin: true } })
          : noData("No story in this range")
      };
    });
  };

  KINDS.story_items = function (section) {
    var o = section.options;
    return storyData().then(function (data) {
      var list = chosenStories(data).slice(0, o.top);
      var cells = [], sorts = [];
      list.forEach(function (s, i) {
        s.item_list.forEach(function (it) {
          // The article comes second: on a phone it is what fits beside the story's number.
          cells.push(["#" + (i + 1), { text: it.title === null ? it.url : it.title, href: safeUrl(it.url) },
            data.domains[it.d], it.h === 0 ? "first" : "+" + fmt1(it.h) + " h"]);
          sorts.push([i, it.title || it.url, data.domains[it.d], it.h]);
        });
      });
      return {
        columns: STORY_ITEM_COLUMNS, rows: storyItemRows(list, data),
        note: itemsNote(list),
        table: { headings: ["Story", "Article", "Outlet", "When"], numeric: [false, false, false, true], cells: cells, sort: sorts }
      };
    });
  };

  // The rows of marts.story_items behind the stories' timeline and their articles.
  var STORY_ITEM_COLUMNS = ["story_id", "canonical_url", "provider_domain", "published_at", "hours_after_first", "title"];

  function storyItemRows(list, data) {
    var rows = [];
    list.forEach(function (s) {
      s.item_list.forEach(function (it) { rows.push([s.id, it.url, data.domains[it.d], it.at, it.h, it.title]); });
    });
    return rows;
  }

  function itemsNote(list) {
    // The bundle holds a story's first items only: say so where a story has more.
    var cut = list.filter(function (s) { return s.items > s.item_list.length; });
    if (!cut.length) { return ""; }
    var shown = Math.max.apply(null, cut.map(function (s) { return s.item_list.length; }));
    return cut.length + (cut.length === 1 ? " story has" : " stories have") + " more than " + shown +
      " items: the first " + shown + " of each are shown (" +
      cut.map(function (s) { return "#" + (list.indexOf(s) + 1) + ": " + fmtInt(s.item_list.length) + " of " + fmtInt(s.items); }).join(", ") + ").";
  }

  function median(values) {
    // The middle value, or the mean of the two middle ones, as quantile_cont(x, 0.5) gives it.
    if (!values.length) { return null; }
    var sorted = values.slice().sort(function (a, b) { return a - b; }), mid = (sorted.length - 1) / 2;
    return (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2;
  }

  function safeUrl(url) {
    // Only http and https links are ever clickable.
    return /^https?:\/\//i.test(url || "") ? url : null;
  }

  KINDS.firsts = function (section) {
    var o = section.options;
    return storyData().then(function (data) {
      var range = monthRange(), ps = setOf(state.providers.map(providerName));
      var groups = {};
      var f = data.firsts;
      for (var i = 0; i < f.m.length; i++) {
        if (!inRange(f.m[i], range)) { continue; }
        var d = data.domains[f.d[i]];
        if (state.providers.length && !ps[d]) { continue; }
        var g = groups[d] || (groups[d] = { d: d, s: 0, f: 0, hours: [] });
        g.s += f.s[i]; g.f += f.f[i]; g.hours = g.hours.concat(f.h[i]);
      }
      var list = Object.keys(groups).map(function (k) { return groups[k]; }).filter(function (g) { return g.s >= o.min_stories; });
      list.sort(function (a, b) { return b.f / b.s - a.f / a.s || b.s - a.s || cmp(a.d, b.d); });
      var qualifying = list.length, sharing = Object.keys(groups).length;
      list = list.slice(0, o.top);
      list.forEach(function (g) { g.h = median(g.hours); });
      return {
        columns: ["provider_domain", "stories", "stories_first", "first_share", "median_hours_after_first"],
        rows: list.map(function (g) { return [g.d, g.s, g.f, round(g.f / g.s, 4), round(g.h, 2)]; }),
        note: sharing === 0 ? "No story of 2 or more outlets in the range." :
          fmtInt(qualifying) + " of the " + fmtInt(sharing) + " providers with shared stories in the range " +
          (qualifying === 1 ? "is" : "are") + " in " + o.min_stories + " or more" +
          (qualifying > list.length ? "; the first " + list.length + " are shown." : "."),
        table: {
          headings: ["Provider", "Stories", "First in", "First share", "Median hours after first"],
          numeric: [false, true, true, true, true], key: 3,
          cells: list.map(function (g) {
            var p = providerIndex[g.d];
            return [{ text: g.d, href: p === undefined ? null : drillHref("p", p) }, fmtInt(g.s), fmtInt(g.f),
              (100 * g.f / g.s).toFixed(0) + "%", fmt1(g.h)];
          }),
          sort: list.map(function (g) { return [g.d, g.s, g.f, g.f / g.s, g.h]; })
        }
      };
    });
  };

  // Rows embedded in the page as they are (health tables), filtered where they carry a month or
  // a provider.
  KINDS.rows = function (section) {
    var o = section.options, range = monthRange(), ps = setOf(state.providers.map(providerName));
    var rows = o.rows.filter(function (r) {
      if (o.month_column !== undefined && r[o.month_column] !== null) {
        var m = months.indexOf(r[o.month_column]);
        if (m >= 0 && !inRange(m, range)) { return false; }
      }
      if (o.provider_column !== undefined && state.providers.length && !ps[r[o.provider_column]]) { return false; }
      return true;
    });
    return Promise.resolve({
      columns: o.columns,
      rows: rows.map(function (r) { return r.map(function (v) { return Array.isArray(v) ? jsonList(v) : v; }); }),
      table: { headings: o.headings, numeric: o.numeric,
        cells: rows.map(function (r) {
          return o.shown.map(function (i, j) {
            var v = r[i];
            if (v === null) { return "–"; }
            if (Array.isArray(v)) { return v.join("\n"); }
            return o.numeric[j] ? fmtInt(v) : String(v);
          });
        }),
        sort: rows.map(function (r) { return o.shown.map(function (i) { return r[i]; }); }) }
    });
  };

  function jsonList(values) {
    // A list as `newsdw query` writes it in CSV: JSON with ", " between the items.
    return "[" + values.map(function (v) { return JSON.stringify(v); }).join(", ") + "]";
  }

  function drillHref(kind, index) {
    var pages = kind === "p" ? SPEC.drill.providers : SPEC.drill.topics;
    var key = kind === "p" ? providerName(index) : topicName(index);
    return pages[key] ? SPEC.root + pages[key] : null;
  }

  // ---- drawing -----------------------------------------------------------------------------
  function drawTable(box, table) {
    box.textContent = "";
    var t = document.createElement("table");
    var head = t.createTHead().insertRow();
    table.headings.forEach(function (heading, i) {
      var th = document.createElement("th");
      th.scope = "col";
      if (table.numeric[i]) { th.className = "number"; }
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = heading;
      button.addEventListener("click", function () { sortTable(t, table, i, th); });
      th.appendChild(button);
      head.appendChild(th);
    });
    var body = t.createTBody();
    fillBody(body, table, table.cells.map(function (_, i) { return i; }));
    box.appendChild(t);
  }

  function fillBody(body, table, order) {
    body.textContent = "";
    if (order.length === 0) {
      var cell = body.insertRow().insertCell();
      cell.colSpan = table.headings.length;
      cell.className = "empty";
      cell.textContent = "Nothing to show for these inputs.";
      return;
    }
    order.forEach(function (r) {
      var tr = body.insertRow();
      table.cells[r].forEach(function (value, i) {
        var td = tr.insertCell();
        if (table.numeric[i]) { td.className = "number"; }
        // On a phone a row is a card: each cell names its column, and the key number leads.
        td.dataset.label = table.headings[i];
        if (i === keyColumn(table)) { td.classList.add("key"); }
        if (value !== null && typeof value === "object") {
          if (value.href) {
            var a = document.createElement("a");
            a.href = value.href;
            if (/^https?:/i.test(value.href)) { a.rel = "noopener noreferrer nofollow"; a.target = "_blank"; }
            a.textContent = value.text;
            td.appendChild(a);
          } else {
            td.textContent = value.text;
          }
        } else {
          td.textContent = value;
        }
        // A long text (a title, a path) gets room to wrap at its spaces, not one word a line.
        if (!table.numeric[i] && td.textContent.length > 40) { td.classList.add("long"); }
      });
    });
  }

  function keyColumn(table) {
    // The column a reader looks for first: the table's own choice, else its first number.
    return table.key !== undefined ? table.key : table.numeric.indexOf(true);
  }

  function sortTable(t, table, column, th) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var order = table.cells.map(function (_, i) { return i; });
    order.sort(function (a, b) {
      var x = table.sort[a][column], y = table.sort[b][column];
      var xe = x === null || x === undefined || x === "", ye = y === null || y === undefined || y === "";
      if (xe || ye) { return xe - ye; }
      var c = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
      return ascending ? c : -c;
    });
    t.querySelectorAll("th").forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    fillBody(t.tBodies[0], table, order);
  }

  function drawLegend(box, legend) {
    box.textContent = "";
    if (!legend || legend.length === 0) { box.hidden = true; return; }
    box.hidden = false;
    legend.forEach(function (item) {
      var entry = document.createElement(item.href ? "a" : "span");
      entry.className = "legend-item";
      if (item.href) { entry.href = item.href; }
      var swatch = document.createElement("i");
      swatch.style.background = item.colour;
      entry.appendChild(swatch);
      entry.appendChild(document.createTextNode(item.label));
      box.appendChild(entry);
    });
  }

  function drawTiles(box, tiles) {
    box.textContent = "";
    tiles.forEach(function (tile) {
      var div = document.createElement("div");
      div.className = "tile";
      [["label", tile.label], ["value", tile.value], ["note", tile.note]].forEach(function (part) {
        var el = document.createElement("div");
        el.className = part[0];
        el.textContent = part[1];
        div.appendChild(el);
      });
      box.appendChild(div);
    });
  }

  function effective(section) {
    // The section's options, with those for narrow screens where the screen is narrow.
    var options = Object.assign({}, section.options);
    if (narrow && options.narrow) { Object.assign(options, options.narrow); }
    delete options.narrow;
    return { key: section.key, kind: section.kind, sql: section.sql, options: options };
  }

  function drawSection(given) {
    var section = effective(given);
    var card = document.getElementById(section.key);
    return KINDS[section.kind](section).then(function (result) {
      result.sql = fillSql(section.sql, section.options);
      results[section.key] = result;
      card.querySelector("[data-sql]").textContent = result.sql;
      var note = card.querySelector(".note");
      if (note) { note.textContent = result.note || ""; }
      if (result.tiles) { drawTiles(card.querySelector(".tiles"), result.tiles); }
      if (result.table) { drawTable(card.querySelector(".table-scroll"), result.table); }
      var legend = card.querySelector(".legend");
      if (legend) { drawLegend(legend.querySelector(".legend-items"), result.legend); legend.hidden = !result.legend || !result.legend.length; }
      if (result.data) {
        var chart = card.querySelector(".chart");
        chart.setAttribute("aria-label", summarise(card.querySelector("h2").textContent, result));
        if (result.layout.xaxis && result.layout.xaxis.ticklabelmode === "period") { monthPeriods(result.data); }
        return Plotly.react(chart, result.data, result.layout, PLOTLY_CONFIG).then(function () {
          chart.dataset.rendered = "true";
          bindLinks(chart, result.links);
        });
      }
    });
  }

  function summarise(title, result) {
    // One sentence for a screen reader: what the chart holds and its largest value; the rows
    // themselves are in its CSV download.
    var rows = result.rows || [], columns = result.columns || [];
    if (!rows.length) { return title + ": no data for these inputs."; }
    var measure = columns.indexOf("articles");
    if (measure < 0) {
      for (var c = columns.length - 1; c >= 0; c--) { if (typeof rows[0][c] === "number") { measure = c; break; } }
    }
    var text = title + ": " + fmtInt(rows.length) + " row" + (rows.length === 1 ? "" : "s");
    if (measure >= 0) {
      var top = rows.reduce(function (best, row) { return (row[measure] || 0) > (best[measure] || 0) ? row : best; }, rows[0]);
      var label = top.slice(0, Math.min(2, measure)).filter(function (v) { return v !== null && typeof v !== "number"; }).join(", ");
      text += "; the largest " + columns[measure].replace(/_/g, " ") + " is " +
        (Number.isInteger(top[measure]) ? fmtInt(top[measure]) : String(top[measure])) + (label ? " (" + label + ")" : "");
    }
    return text + ". The rows are in its CSV download.";
  }

  function bindLinks(chart, links) {
    // A click on a bar of a ranking opens the drill-down page of its provider or topic.
    if (chart.dataset.linked || !chart.on) { return; }
    chart.dataset.linked = "true";
    chart.on("plotly_click", function (event) {
      var result = results[chart.closest("section").id];
      var href = result.links && result.links[event.points[0].pointIndex];
      if (href) { window.location.href = href.split("#")[0] + "#" + stateHash(); }
    });
  }

  var drawing = 0;
  function redraw() {
    drawing += 1;
    var mine = drawing;
    document.body.dataset.ready = "false";
    var note = document.querySelector("[data-range-note]");
    if (note) { note.textContent = rangeNote(); }
    keepState();
    Promise.all(SPEC.sections.map(drawSection)).then(function () {
      if (mine === drawing) { document.body.dataset.ready = "true"; }
    }, function (error) {
      document.body.dataset.ready = "error";
      throw error;
    });
  }

  // ---- downloads ---------------------------------------------------------------------------
  function csvCell(value) {
    if (value === null || value === undefined) { return ""; }
    var text = typeof value === "number" ? String(value) : String(value);
    // A spreadsheet runs a cell that starts with = + - @ as a formula: such text is quoted
    // with a leading apostrophe (numbers stay numbers).
    if (typeof value !== "number" && /^[=+\-@\t\r]/.test(text)) { text = "'" + text; }
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function csv(result) {
    var lines = [result.columns.map(csvCell).join(",")];
    result.rows.forEach(function (row) { lines.push(row.map(csvCell).join(",")); });
    return lines.join("\r\n") + "\r\n";
  }

  // What a download of the section would hold, for scripts and tests that read the page.
  window.newsdwCsv = function (key) { return results[key] ? csv(results[key]) : null; };

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-download]");
    if (!button) { return; }
    var result = results[button.dataset.download];
    if (!result) { return; }
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([csv(result)], { type: "text/csv;charset=utf-8" }));
    link.download = button.dataset.download + ".csv";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  });

  // ---- the inputs in the URL ------------------------------------------------------------------
  // The range and the filters live in the page's hash (#range=12&providers=a.com,b.org), so a
  // link to another page of the site, a reload or a shared address keeps them.
  var SITE_PAGE = /^(\.\.\/)?[\w.%-]+\.html(#.*)?$/;

  function stateHash() {
    var parts = ["range=" + encodeURIComponent(state.range)];
    var named = [["providers", state.providers, providerName], ["topics", state.topics, topicName]];
    named.forEach(function (part) {
      if (part[1].length) { parts.push(part[0] + "=" + part[1].map(function (i) { return encodeURIComponent(part[2](i)); }).join(",")); }
    });
    if (state.allProviders) { parts.push("all=1"); }
    return parts.join("&");
  }

  function hashState() {
    var out = {};
    window.location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var eq = part.indexOf("=");
      if (eq > 0) { out[part.slice(0, eq)] = part.slice(eq + 1); }
    });
    return out;
  }

  function hashKeys(value) {
    return value ? value.split(",").map(function (v) { try { return decodeURIComponent(v); } catch (e) { return null; } }) : [];
  }

  function carryState(link, hash) {
    var href = link.getAttribute("href");
    if (href && SITE_PAGE.test(href)) { link.setAttribute("href", href.split("#")[0] + "#" + hash); }
  }

  function keepState() {
    var hash = stateHash();
    if (window.location.hash.slice(1) !== hash) { window.history.replaceState(null, "", "#" + hash); }
    document.querySelectorAll("a[href]").forEach(function (link) { carryState(link, hash); });
  }

  // Links drawn later (legends, tables) take the inputs when followed.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (link) { carryState(link, stateHash()); }
  }, true);

  function applyHash(range, providerSelect, topicSelect, all) {
    var given = hashState();
    var ranges = Array.prototype.map.call(range.options, function (o) { return o.value; });
    if (given.range && ranges.indexOf(decodeURIComponent(given.range)) >= 0) { range.value = decodeURIComponent(given.range); }
    // A drill-down page's own subject wins over the filter of its kind that the link carried.
    [["providers", providerSelect, providerIndex], ["topics", topicSelect, topicIndex]].forEach(function (part) {
      if ((SPEC.preset[part[0]] || []).length || given[part[0]] === undefined) { return; }
      hashKeys(given[part[0]]).forEach(function (key) {
        if (key !== null && part[2][key] !== undefined) { part[1].options[part[2][key]].selected = true; }
      });
    });
    if (all && given.all === "1") { all.checked = true; state.allProviders = true; }
  }

  // ---- inputs ------------------------------------------------------------------------------
  function fillOptions(select, keys, labels, counts) {
    keys.forEach(function (key, i) {
      var option = document.createElement("option");
      option.value = String(i);
      option.textContent = labels[i] + " (" + fmtInt(counts[i]) + ")";
      option.dataset.search = (labels[i] + " " + key).toLowerCase();
      option.dataset.key = key;
      select.appendChild(option);
    });
  }

  function chosen(select) {
    return Array.prototype.filter.call(select.options, function (o) { return o.selected; }).map(function (o) { return +o.value; });
  }

  function setUp() {
    var range = document.querySelector("[data-range]");
    var providerSelect = document.querySelector("[data-filter='provider']");
    var topicSelect = document.querySelector("[data-filter='topic']");
    fillOptions(providerSelect, providers.domain, providers.label, providers.articles);
    fillOptions(topicSelect, topics.key, topics.label, topics.articles);
    (SPEC.preset.providers || []).forEach(function (d) { if (providerIndex[d] !== undefined) { providerSelect.options[providerIndex[d]].selected = true; } });
    (SPEC.preset.topics || []).forEach(function (k) { if (topicIndex[k] !== undefined) { topicSelect.options[topicIndex[k]].selected = true; } });
    var spread = dataRange();
    if (months.length) {
      range.options[0].textContent = "Where 99% of articles are (" + monthName(months[spread[0]]) +
        (spread[0] === spread[1] ? "" : " – " + monthName(months[spread[1]])) + ")";
    }
    applyHash(range, providerSelect, topicSelect, document.querySelector("[data-all-providers]"));
    state.range = range.value;
    state.providers = chosen(providerSelect);
    state.topics = chosen(topicSelect);
    range.addEventListener("change", function () { state.range = range.value; redraw(); });
    providerSelect.addEventListener("change", function () { state.providers = chosen(providerSelect); showChosen(); redraw(); });
    topicSelect.addEventListener("change", function () { state.topics = chosen(topicSelect); showChosen(); redraw(); });
    document.querySelectorAll("[data-search]").forEach(function (input) {
      input.addEventListener("input", function () {
        var select = document.getElementById(input.dataset.search);
        var needle = input.value.trim().toLowerCase();
        Array.prototype.forEach.call(select.options, function (o) { o.hidden = needle !== "" && o.dataset.search.indexOf(needle) < 0; });
      });
    });
    document.querySelectorAll("[data-clear]").forEach(function (button) {
      button.addEventListener("click", function () {
        var select = document.getElementById(button.dataset.clear);
        Array.prototype.forEach.call(select.options, function (o) { o.selected = false; });
        select.dispatchEvent(new Event("change"));
      });
    });
    var all = document.querySelector("[data-all-providers]");
    if (all) { all.addEventListener("change", function () { state.allProviders = all.checked; redraw(); }); }
    showChosen();
  }

  function showChosen() {
    [["provider", state.providers, providerLabel], ["topic", state.topics, topicLabel]].forEach(function (part) {
      var out = document.querySelector("[data-chosen='" + part[0] + "']");
      if (!out) { return; }
      out.textContent = part[1].length ? part[1].map(part[2]).join(", ") : "all";
    });
  }

  if (narrow) {
    // On a phone the legends start folded, so that a chart is not pushed below its legend.
    document.querySelectorAll("details.legend").forEach(function (d) { d.open = false; });
  }
  dataNamed("base").then(function (base) {
    BASE = base;
    months = BASE.months.month;
    providers = BASE.providers;
    topics = BASE.topics;
    providers.domain.forEach(function (d, i) { providerIndex[d] = i; });
    topics.key.forEach(function (k, i) { topicIndex[k] = i; });
    written = { p: setOf(BASE.written.p), t: setOf(BASE.written.t) };
    setUp();
    redraw();
  });
})();
