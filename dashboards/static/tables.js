// Tables: drawn, sorted by their headers, and the health tables' embedded rows.
"use strict";

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

function drillHref(kind, index) {
  var pages = kind === "p" ? SPEC.drill.providers : SPEC.drill.topics;
  var key = kind === "p" ? providerName(index) : topicName(index);
  return pages[key] ? SPEC.root + pages[key] : null;
}

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
