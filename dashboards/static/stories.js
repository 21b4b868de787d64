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
    var columns = ["story_id", "title", "first_published_at", "first_provider_domain", "first_date_only", "providers", "items", "span_hours"];
    return {
      columns: columns,
      rows: list.map(function (s) { return [s.id, s.title, s.first, data.domains[s.first_domain], s.first_date_only, s.providers, s.items, s.span]; }),
      table: {
        headings: ["Story", "First", "First published", "Outlets", "Items", "Span (h)"],
        numeric: [false, false, false, true, true, true], key: 3,
        cells: list.map(function (s) {
          // A first known by its date alone says so: no item of the story has a time of day.
          return [s.title === null ? "(no title)" : s.title, data.domains[s.first_domain] + (s.first_date_only ? " (date only)" : ""),
            s.first_date_only ? s.first.slice(0, 10) : s.first.slice(0, 16).replace("T", " "),
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

// Who publishes first: per provider, over the range's stories of 2 or more outlets, its firsts
// ranked by their Wilson lower bound; newsrooms on one board, syndicators and wires on another.
KINDS.firsts = function (section) {
  var o = section.options;
  return storyData().then(function (data) {
    var groups = firstsByProvider(data);
    var all = Object.keys(groups).map(function (k) { return groups[k]; });
    var mine = all.filter(function (g) { return g.s >= o.min_stories && (g.kind === "newsroom") === (o.kind === "newsroom"); });
    mine.forEach(function (g) { g.lower = wilsonLower(g.f, g.s); });
    mine.sort(function (a, b) { return b.lower - a.lower || b.f - a.f || cmp(a.d, b.d); });
    var list = mine.slice(0, o.top);
    list.forEach(function (g) { g.h = median(g.hours); });
    return {
      columns: ["provider_domain", "provider_kind", "stories", "stories_first", "first_share", "first_share_lower", "median_hours_after_first"],
      rows: list.map(function (g) { return [g.d, g.kind, g.s, g.f, round(g.f / g.s, 4), round(g.lower, 4), round(g.h, 2)]; }),
      note: firstsNote(all.length, mine.length, list.length, o),
      table: {
        headings: ["Provider", "Kind", "First in", "Of stories", "Share", "At least (95%)", "Median hours after first"],
        numeric: [false, false, true, true, true, true, true], key: 5,
        cells: list.map(function (g) {
          var p = providerIndex[g.d];
          return [{ text: g.d, href: p === undefined ? null : drillHref("p", p) }, g.kind, fmtInt(g.f), fmtInt(g.s),
            (100 * g.f / g.s).toFixed(0) + "%", (100 * g.lower).toFixed(0) + "%", fmt1(g.h)];
        }),
        sort: list.map(function (g) { return [g.d, g.kind, g.f, g.s, g.f / g.s, g.lower, g.h]; })
      }
    };
  });
};

function firstsByProvider(data) {
  // The range's first-to-publish cells summed by provider (chosen providers only).
  var range = monthRange(), ps = setOf(state.providers.map(providerName)), groups = {}, f = data.firsts;
  for (var i = 0; i < f.m.length; i++) {
    if (!inRange(f.m[i], range)) { continue; }
    var d = data.domains[f.d[i]];
    if (state.providers.length && !ps[d]) { continue; }
    var g = groups[d] || (groups[d] = { d: d, kind: data.kinds[f.d[i]] || "newsroom", s: 0, f: 0, hours: [] });
    g.s += f.s[i]; g.f += f.f[i]; g.hours = g.hours.concat(f.h[i]);
  }
  return groups;
}

function wilsonLower(firsts, stories) {
  // The lower bound of the Wilson score interval (95%) of firsts / stories: 4 in 4 is 0.51,
  // 40 in 50 is 0.67, so a few lucky stories do not lead the board.
  var z = 1.96, p = firsts / stories;
  var centre = p + z * z / (2 * stories);
  var spread = z * Math.sqrt(p * (1 - p) / stories + z * z / (4 * stories * stories));
  return (centre - spread) / (1 + z * z / stories);
}

function firstsNote(sharing, qualifying, shown, o) {
  if (sharing === 0) { return "No story of 2 or more outlets in the range."; }
  var who = o.kind === "newsroom" ? "newsrooms" : "syndicators and wires";
  return fmtInt(qualifying) + " " + who + " are in " + o.min_stories + " or more of the range's shared stories" +
    (qualifying > shown ? "; the first " + shown + " are shown." : ".");
}
