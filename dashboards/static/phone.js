// The phone layout's one piece of script: the inputs fold into a drawer (details.drawer),
// closed at first on a phone and open on a wider screen, whose summary names the choices.
// Everything else of the phone layout is site.css. Runs after site.js, reads what it fills.
"use strict";

(function () {
  var PHONE = window.matchMedia("(max-width: 640px)");
  var drawer = document.querySelector("details.drawer");
  if (!drawer) { return; }
  var choices = drawer.querySelector("[data-choices]");

  function fold() {
    // A wide screen shows the inputs and hides the summary: the drawer is always open there.
    drawer.open = !PHONE.matches;
  }

  function picked(kind) {
    // "all", the one or two names site.js wrote in output[data-chosen], or how many.
    var select = document.querySelector("[data-filter='" + kind + "']");
    var count = select ? select.selectedOptions.length : 0;
    var out = document.querySelector("output[data-chosen='" + kind + "']");
    if (count === 0 || !out) { return "all"; }
    return count <= 2 ? out.textContent : count + " chosen";
  }

  function range() {
    // The chosen range; the default one by its months, which site.js writes in brackets.
    var select = document.querySelector("select[data-range]");
    if (!select || select.selectedIndex < 0) { return ""; }
    var text = select.options[select.selectedIndex].textContent.trim();
    var months = select.value === "data" && /\(([^)]+)\)$/.exec(text);
    return months ? months[1] : text;
  }

  function describe() {
    var parts = [range(), "providers: " + picked("provider"), "topics: " + picked("topic")];
    var all = document.querySelector("[data-all-providers]");
    if (all && all.checked) { parts.push("small providers ranked"); }
    choices.textContent = parts.filter(Boolean).join(" · ");
  }

  fold();
  describe();
  if (PHONE.addEventListener) { PHONE.addEventListener("change", fold); }
  // site.js marks every redraw on body[data-ready], after it has taken the inputs (the hash's
  // too): the summary follows each. A change of an input is shown at once.
  new MutationObserver(describe).observe(document.body, { attributes: true, attributeFilter: ["data-ready"] });
  document.addEventListener("change", describe);
}());
