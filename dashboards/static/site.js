// The pages' engine: follows the inputs (kept in the URL's hash), draws every section with
// its kind (charts.js, changes.js, stories.js, tables.js), fills in each section's SQL, and
// downloads the rows behind each. No framework: plotly.js draws, these scripts compute.
"use strict";

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
    showHeadline(card, headline(section, result));
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

function showHeadline(card, text) {
  // The finding as the card's title, the neutral description (and the filters) below it.
  var title = card.querySelector("h2"), description = card.querySelector(".description");
  if (!description) { return; }
  title.textContent = text || description.dataset.title;
  description.textContent = [text ? description.dataset.title : "", filterPhrase()].filter(Boolean).join(" · ");
  description.hidden = !description.textContent;
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
  document.querySelector("main").setAttribute("aria-busy", "true");
  var note = document.querySelector("[data-range-note]");
  if (note) { note.textContent = rangeNote(); }
  keepState();
  Promise.all(SPEC.sections.map(drawSection)).then(function () {
    if (mine === drawing) { document.body.dataset.ready = "true"; document.querySelector("main").removeAttribute("aria-busy"); }
  }, function (error) {
    document.body.dataset.ready = "error";
    throw error;
  });
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
