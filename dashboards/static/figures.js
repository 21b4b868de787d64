// What every figure shares: the colours, the plotly layout on top of the template made in
// Python (dashboards/theme.py), month axes, and the marks of thin months.
"use strict";

var BANDS = ["top", "high", "medium", "low", "unrated"];

// The palettes come from dashboards/theme.py, with the template every layout names. One colour
// per provider or topic on every page and under every filter: its place in the warehouse's
// order (most articles first) picks a hue, then a dash past the 8th and a marker past the
// 24th: 192 providers or topics look apart.
var BAND_COLOURS = SPEC.palette.bands;
var ENTITY_COLOURS = SPEC.palette.entities;
var HEAT_SCALE = SPEC.palette.heat;
var ENTITY_DASHES = ["solid", "dash", "dot"];
var ENTITY_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "triangle-down", "star", "hexagon", "x"];

function entityColour(index) { return ENTITY_COLOURS[index % ENTITY_COLOURS.length]; }

function entityDash(index) { return ENTITY_DASHES[Math.floor(index / ENTITY_COLOURS.length) % ENTITY_DASHES.length]; }

function entitySymbol(index) {
  var styles = ENTITY_COLOURS.length * ENTITY_DASHES.length;
  return ENTITY_SYMBOLS[Math.floor(index / styles) % ENTITY_SYMBOLS.length];
}

var THIN = 5;            // a month with fewer articles is drawn as thin

var PLOTLY_CONFIG = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"],
  // On a phone plotly's tool bar would put 20 px buttons over the chart: the CSV is the way out.
  displayModeBar: !narrow };

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
  // The chart's own layout on the shared template: the template gives fonts, colours, grid and
  // margins; a chart gives what is its own (axes' titles, its height, its shapes).
  var base = { template: SPEC.template, height: narrow ? 300 : 360 };
  Object.keys(extra || {}).forEach(function (k) { base[k] = extra[k]; });
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

function looseDots(trace, thin) {
  // A thin month's point leaves the line and stands as a loose dot of the line's colour: no
  // line touches it. The dot has no name of its own, so legends list the line alone.
  var dots = {
    type: "scatter", mode: "markers", showlegend: false, cliponaxis: true, x: trace.x,
    y: trace.y.map(function (v, i) { return thin[i] ? v : null; }),
    marker: { color: trace.line.color, symbol: "circle-open", size: 7 }, customdata: trace.customdata,
    hovertemplate: trace.hovertemplate.replace("%{fullData.name}", trace.name)
  };
  trace.y = trace.y.map(function (v, i) { return thin[i] ? null : v; });
  return [trace, dots];
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
