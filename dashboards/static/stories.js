// Stories: the biggest stories, their items and timeline, and who publishes first.
"use strict";

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
