"""The stakeholders' pages: named queries over the marts -> Plotly figures -> static HTML.

One module per page (overview, providers, topics, quality, health); `site.build_site` writes
them all, with one shared plotly.js, to `<warehouse>/dashboards/`.
"""
