// The charts of counts and quality over the range: each kind turns the cells into the rows
// of its CSV and the figure drawn from them.
"use strict";

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
    // A thin month (under 20 rated articles, or under 5% of the median month) is faded and
    // labelled with its count: a full 100% bar of one article reads as what it is.
    var thin = thinAverages(rows.map(function (r) { return [r[0], r[1], r[1] - r[6]]; }));
    var data = BANDS.map(function (band) {
      var col = columns.indexOf(band === "medium" ? "medium" : band);
      var y = rows.map(function (r) {
        if (!percent) { return r[col]; }
        return r[1] > 0 ? 100 * r[col] / r[1] : null;
      });
      return {
        type: "bar", name: band, x: x, y: y, marker: { color: BAND_COLOURS[band],
          opacity: rows.map(function (r, i) { return thin[i] ? 0.35 : 1; }) },
        customdata: rows.map(function (r, i) { return [r[col], r[1], thin[i] ? " · thin month" : ""]; }),
        hovertemplate: band + ": %{customdata[0]:,} of %{customdata[1]:,} articles" +
          (percent ? " (%{y:.0f}%)" : "") + "%{customdata[2]}<extra></extra>"
      };
    });
    var axis = monthAxis(range);
    return {
      columns: columns, rows: rows, data: data, legend: BANDS.map(function (b) { return { label: b, colour: BAND_COLOURS[b] }; }),
      layout: layout({ barmode: "stack", hovermode: "x unified", shapes: axis.shapes, annotations: axis.annotations.concat(thinCounts(rows, thin, percent)),
        xaxis: axis.xaxis, yaxis: percent ? { title: { text: "% of the month's articles" }, range: [0, 100] }
          : countAxis({ title: { text: "articles" } }, rows.map(function (r) { return r[1]; })) })
    };
  });
};

function thinCounts(rows, thin, percent) {
  // "n=6" above each thin month's bar.
  return rows.filter(function (r, i) { return thin[i] && r[1] > 0; }).map(function (r) {
    return { x: shift(r[0], 0), y: percent ? 100 : r[1], xref: "x", yref: "y", text: "n=" + fmtInt(r[1]), showarrow: false,
      yanchor: "bottom", font: { size: 10, color: "#52606d" } };
  });
}

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
  var o = section.options, dim = DIMENSIONS[o.dimension], byTopic = o.dimension === "topic";
  return dim.cells().then(function (cells) {
    var range = monthRange();
    var top = aggregate(cells, { dimension: o.dimension, top: o.top, apart: byTopic });
    var totals = monthTotals(byTopic ? articleCells() : articleCells({ providers: [] }));
    var share = o.measure === "share";
    var ms = monthList(range);
    var rows = [], data = [], legend = [];
    // A month of few articles (under 20, or under 5% of the median month) is thin: its points
    // are loose dots, so one article's 100% share is neither a spike nor the axis's top.
    var thin = thinAverages(ms.map(function (m) { var n = totals[m] ? totals[m].n : 0; return [months[m], n, n]; }));
    top.forEach(function (leader) {
      var mine = monthTotals(cells.filter(function (c) { return dim.of(c) === leader.key; }));
      var ys = [], counts = [];
      ms.forEach(function (m) {
        var n = mine[m] ? mine[m].n : 0;
        var total = totals[m] ? totals[m].n : 0;
        var value = share ? (total > 0 ? round(n / total, 4) : null) : n;
        rows.push([months[m], dim.name(leader.key), n, total, total > 0 ? round(n / total, 4) : null]);
        ys.push(share ? (value === null ? null : value * 100) : value);
        counts.push(total);
      });
      var colour = entityColour(leader.key);
      legend.push({ label: dim.label(leader.key), colour: colour, href: drillHref(dim.drill, leader.key) });
      data.push.apply(data, looseDots({
        type: "scatter", mode: "lines+markers", name: esc(dim.label(leader.key)), connectgaps: false,
        x: ms.map(function (m) { return months[m]; }), y: ys, line: { color: colour, width: 1.8, dash: entityDash(leader.key) },
        marker: thinMarker(counts, colour, entitySymbol(leader.key)),
        customdata: ms.map(function (m, j) {
          var n = mine[m] ? mine[m].n : 0;
          return [n, counts[j], thin[j] ? " · thin month, not joined to the line" : ""];
        }),
        hovertemplate: "%{fullData.name}: " + (share ? "%{y:.1f}% · " : "") +
          "%{customdata[0]:,} of %{customdata[1]:,} articles%{customdata[2]}<extra></extra>"
      }, thin));
    });
    var held = [];
    data.forEach(function (trace) { if (trace.mode !== "markers") { held = held.concat(trace.y.filter(function (v) { return v !== null; })); } });
    var columns = ["month", dim.column, "articles", "month_articles", "share_of_articles"];
    var axis = monthAxis(range);
    return {
      columns: columns, rows: rows, data: data, legend: legend, note: byTopic ? catchAllNote() : "",
      layout: top.length ? layout({ hovermode: "closest", shapes: axis.shapes, annotations: axis.annotations, xaxis: axis.xaxis,
        yaxis: share ? { title: { text: "% of the month's articles" }, range: [0, held.length ? Math.max(1, 1.1 * Math.max.apply(null, held)) : 100] }
          : countAxis({ title: { text: "articles" } }, rows.map(function (r) { return r[2]; })) }) : noData("No articles for these inputs")
    };
  });
};

// A ranking of providers or topics over the range, as bars or as a sortable table.
KINDS.ranking = function (section) {
  var o = section.options, dim = DIMENSIONS[o.dimension], byTopic = o.dimension === "topic";
  return dim.cells().then(function (cells) {
    var min = o.min_rated && !state.allProviders ? MIN_RATED : 0;
    var all = aggregate(cells, { dimension: o.dimension });
    var ranked = aggregate(cells, { dimension: o.dimension, order: o.order, top: o.top, min_rated: min });
    var columns = [dim.column, byTopic ? "topic" : "provider_name", "articles", "rated_articles", "avg_quality"];
    var rawName = byTopic ? topicLabel : function (p) { return providers.name[p]; };
    var rows = ranked.map(function (g) { return [dim.name(g.key), rawName(g.key), g.n, g.r, round(avg(g), 2)]; });
    var result = { columns: columns, rows: rows, note: rankingNote(o, all.length, ranked.length),
      // The range's articles: for topics, each article once, whatever its topics.
      total: (byTopic ? articleCells() : all).reduce(function (n, g) { return n + g.n; }, 0) };
    if (o.table) {
      result.table = {
        headings: [dim.heading, byTopic ? "Key" : "Domain", "Articles", "Rated", "Average quality"],
        numeric: [false, false, true, true, true], key: o.order === "quality" ? 4 : 2,
        cells: ranked.map(function (g) {
          return [{ text: dim.label(g.key), href: drillHref(dim.drill, g.key) }, dim.name(g.key), fmtInt(g.n), fmtInt(g.r), fmt1(avg(g))];
        }),
        sort: ranked.map(function (g) { return [dim.label(g.key), dim.name(g.key), g.n, g.r, avg(g)]; })
      };
      return result;
    }
    var quality = o.order === "quality";
    var shown = ranked.slice().reverse();
    result.data = [{
      type: "bar", orientation: "h", marker: { color: quality ? "#1b9e77" : "#3b6ea8" },
      x: shown.map(function (g) { return quality ? round(avg(g), 2) : g.n; }),
      y: shown.map(function (g) { return esc(shortLabel(dim.label(g.key))); }),
      customdata: shown.map(function (g) { return [g.n, g.r, fmt1(avg(g))]; }),
      hovertemplate: "%{y}: %{customdata[0]:,} articles, %{customdata[1]:,} rated, average quality %{customdata[2]}<extra></extra>"
    }];
    // A bar opens its drill-down page: on a phone each is a 44 px tap target.
    result.layout = ranked.length ? layout({ height: Math.max(260, (narrow ? 44 : 24) * ranked.length + 70), margin: { l: 8, r: 16, t: 8, b: 40 },
      xaxis: quality ? { title: { text: "average quality" }, rangemode: "tozero" }
        : countAxis({ title: { text: "articles" }, rangemode: "tozero" }, result.data[0].x), yaxis: { automargin: true } })
      : noData("No articles for these inputs");
    result.links = shown.map(function (g) { return drillHref(dim.drill, g.key); });
    return result;
  });
};

function rankingNote(o, total, shown) {
  if (!o.min_rated) { return ""; }
  if (state.allProviders) { return "All providers with articles in the range."; }
  return "Only providers with at least " + MIN_RATED + " rated articles in the range are ranked (" +
    fmtInt(shown) + " of " + fmtInt(total) + "); tick the box to show all.";
}

// Providers × topics: the share of each provider's articles carrying each topic.
KINDS.heatmap = function (section) {
  var o = section.options;
  return providerCells().then(function (pcells) {
    var top = aggregate(pcells, { dimension: "provider", top: o.providers_n });
    return Promise.all(top.map(function (g) { return load("p", g.key); })).then(function (parts) {
      var range = monthRange(), ts = setOf(state.topics);
      var cells = [];
      parts.forEach(function (data, i) {
        cellsOf(data.topics, top[i].key).forEach(function (c) {
          if (inRange(c.m, range) && (state.topics.length === 0 || ts[c.t])) { cells.push(c); }
        });
      });
      var topicTop = aggregate(cells, { dimension: "topic", top: o.topics_n, apart: true });
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
          // Upright on a phone: slanted, a long provider name beside narrow columns overlaps.
          xaxis: { tickangle: narrow ? -90 : -40, side: "bottom", automargin: true }, yaxis: { autorange: "reversed", automargin: true } })
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
