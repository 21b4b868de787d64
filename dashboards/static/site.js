// Draws every figure of the page from its JSON, and sorts tables by a click on a heading.
"use strict";

(function () {
  var config = { responsive: true, displaylogo: false };

  document.querySelectorAll("[data-figure]").forEach(function (element) {
    var figure = JSON.parse(document.getElementById(element.dataset.figure).textContent);
    Plotly.newPlot(element, figure.data, figure.layout, config).then(function () {
      element.dataset.rendered = "true";
    });
  });

  function compare(x, y, numeric) {
    return numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    var headings = table.querySelectorAll("th");
    headings.forEach(function (heading, column) {
      heading.querySelector("button").addEventListener("click", function () {
        var ascending = heading.getAttribute("aria-sort") !== "ascending";
        var numeric = heading.dataset.type === "number";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].dataset.sort;
          var y = b.cells[column].dataset.sort;
          if (x === "" || y === "") {
            return (x === "") - (y === "");  // blanks last either way
          }
          return ascending ? compare(x, y, numeric) : compare(y, x, numeric);
        });
        headings.forEach(function (other) { other.removeAttribute("aria-sort"); });
        heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
