// Numbers, names and text as the pages write them, and the rows of a CSV download.
"use strict";

function round(x, digits) {
  if (x === null || x === undefined || isNaN(x)) { return null; }
  var f = Math.pow(10, digits);
  return Math.round(x * f) / f;
}

// Plotly renders a subset of HTML in labels: content text is escaped to show as written.
function esc(text) {
  return String(text === null || text === undefined ? "" : text)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
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

function monthName(month) {
  var parts = month.split("-");
  return ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][+parts[1] - 1] + " " + parts[0];
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

function jsonList(values) {
  // A list as `newsdw query` writes it in CSV: JSON with ", " between the items.
  return "[" + values.map(function (v) { return JSON.stringify(v); }).join(", ") + "]";
}

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
