// Headlines that state the finding: each chart's title is a sentence computed from the rows of
// its CSV (so from what the chart draws, under the inputs), with the neutral description of
// the chart below it. A kind without a finding to state keeps its neutral title.
"use strict";

// The row of the latest complete month (else the latest) with articles, by the month column.
function latestRow(rows, articlesAt) {
  var best = null;
  rows.forEach(function (row) {
    if (!(row[articlesAt] > 0)) { return; }
    var m = months.indexOf(row[0]);
    var complete = m >= 0 && BASE.months.is_complete[m];
    if (!best || complete || !best.complete) { best = { row: row, complete: complete }; }
  });
  return best && best.row;
}

function labelOf(column, key) {
  // A provider's or topic's label from the key its CSV column holds.
  if (column === "provider_domain") { return providerIndex[key] !== undefined ? providerLabel(providerIndex[key]) : key; }
  if (column === "topic_key") { return topicIndex[key] !== undefined ? topicLabel(topicIndex[key]) : key; }
  return key;
}

function pct(part, whole) { return whole > 0 ? Math.round(100 * part / whole) + "%" : "–"; }

function quoted(text) { return "“" + shortLabel(text === null ? "(no title)" : text) + "”"; }

var HEADLINES = {
  band_months: function (result) {
    var row = latestRow(result.rows, 1);
    if (!row) { return ""; }
    return monthName(row[0]) + ": " + fmtInt(row[1]) + " articles, " + pct(row[4] + row[5], row[1]) + " of them rated high or top";
  },
  quality_months: function (result) {
    var thin = thinAverages(result.rows);
    var held = result.rows.filter(function (r, i) { return !thin[i] && r[3] !== null; });
    // Complete months first: a month still arriving is compared only when it is all there is.
    var complete = held.filter(function (r) { return BASE.months.is_complete[months.indexOf(r[0])]; });
    if (complete.length) { held = complete; }
    if (!held.length) { return ""; }
    var last = held[held.length - 1], before = held[held.length - 2];
    var text = "Average quality " + fmt1(last[3]) + " in " + monthName(last[0]);
    if (!before) { return text; }
    var diff = last[3] - before[3];
    return text + (Math.abs(diff) < 0.05 ? ", as in " : diff > 0 ? ", up " + fmt1(diff) + " on " : ", down " + fmt1(-diff) + " on ") +
      monthName(before[0]);
  },
  series: function (result) {
    var latest = latestRow(result.rows, 3);
    if (!latest) { return ""; }
    var lead = result.rows.filter(function (r) { return r[0] === latest[0]; })
      .reduce(function (best, r) { return r[2] > best[2] ? r : best; });
    if (!(lead[2] > 0)) { return ""; }
    return monthName(latest[0]) + ": " + fmtInt(latest[3]) + " articles; " + labelOf(result.columns[1], lead[1]) +
      " leads with " + pct(lead[2], latest[3]);
  },
  ranking: function (result, o) {
    var first = result.rows[0];
    if (!first) { return ""; }
    var label = labelOf(result.columns[0], first[0]);
    if (o.order === "quality") {
      return label + " rates highest: an average of " + fmt1(first[4]) + " over " + fmtInt(first[3]) + " rated articles";
    }
    if (result.columns[0] === "topic_key") {
      return label + " is the most covered topic: on " + fmtInt(first[2]) + " of " + fmtInt(result.total) + " articles (" + pct(first[2], result.total) + ")";
    }
    return label + " leads with " + fmtInt(first[2]) + " of " + fmtInt(result.total) + " articles (" + pct(first[2], result.total) + ")";
  },
  heatmap: function (result) {
    var best = result.rows.filter(function (r) { return r[4] !== null; }).reduce(function (top, r) {
      return !top || r[4] > top[4] ? r : top;
    }, null);
    if (!best || !best[2]) { return ""; }
    return pct(best[2], best[3]) + " of " + labelOf("provider_domain", best[0]) + "'s articles are on " +
      labelOf("topic_key", best[1]) + ", the strongest pairing shown";
  },
  pairs: function (result) {
    var first = result.rows[0];
    if (!first) { return ""; }
    return labelOf("topic_key", first[0]) + " and " + labelOf("topic_key", first[1]) + " come together " +
      first[3].toFixed(1) + " times as often as chance (" + fmtInt(first[2]) + " articles)";
  },
  growth: function (result) {
    var first = result.rows[0];
    if (!first) { return ""; }
    var label = labelOf(result.columns[0], first[0]);
    if (first[3] <= 0) { return "None grew; " + label + " fell the least (" + fmtInt(first[1]) + " against " + fmtInt(first[2]) + ")"; }
    return label + " gained the most: +" + fmtInt(first[3]) + " articles (" + fmtInt(first[1]) + " against " + fmtInt(first[2]) + ")";
  },
  stories: function (result) {
    var first = result.rows[0];
    if (!first) { return ""; }
    return "The biggest story, " + quoted(first[1]) + ", ran in " + fmtInt(first[4]) + " outlets over " + fmt1(first[6]) + " h";
  },
  story_timeline: function (result) {
    var id = result.rows.length ? result.rows[0][0] : null;
    var items = result.rows.filter(function (r) { return r[0] === id; });
    var first = items.filter(function (r) { return r[4] === 0; })[0];
    if (!first) { return ""; }
    var outlets = Object.keys(setOf(items.map(function (r) { return r[2]; }))).length;
    var last = Math.max.apply(null, items.map(function (r) { return r[4] || 0; }));
    return first[2] + " broke the biggest story; " + fmtInt(outlets) + " outlets had it within " + fmt1(last) + " h";
  },
  story_items: function (result) {
    if (!result.rows.length) { return ""; }
    var stories = Object.keys(setOf(result.rows.map(function (r) { return r[0]; }))).length;
    var outlets = Object.keys(setOf(result.rows.map(function (r) { return r[2]; }))).length;
    return fmtInt(result.rows.length) + " articles from " + fmtInt(outlets) + " outlets tell the " + fmtInt(stories) + " biggest stories";
  },
  firsts: function (result) {
    var first = result.rows[0];
    if (!first) { return ""; }
    return first[0] + " leads: first in " + fmtInt(first[3]) + " of the " + fmtInt(first[2]) + " stories it covered (" +
      pct(first[3], first[2]) + "; at least " + pct(first[5], 1) + " at 95%)";
  }
};

function headline(section, result) {
  var make = HEADLINES[section.kind];
  return make ? make(result, section.options) : "";
}

function filterPhrase() {
  // The inputs that narrow every chart, said after a chart's neutral description.
  var parts = [];
  if (state.providers.length) { parts.push(state.providers.length === 1 ? providerLabel(state.providers[0]) : fmtInt(state.providers.length) + " providers"); }
  if (state.topics.length) { parts.push(state.topics.length === 1 ? topicLabel(state.topics[0]) : fmtInt(state.topics.length) + " topics"); }
  return parts.length ? parts.join(", ") + " only" : "";
}
