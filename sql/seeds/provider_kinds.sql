/*
description: >-
  The outlets whose kind is known by name: syndicators (aggregators that carry other outlets'
  articles under their own domain) and press-release wires. marts.dim_providers takes a
  provider's kind from here first, then from its rules. Grain: provider_domain.
grain: [provider_domain]
not_null: [provider_kind]
accepted_values:
  provider_kind: [syndicator, wire]
columns:
  provider_domain: The outlet's domain, lowercased without www., as provider_domain is everywhere.
  provider_kind: syndicator or wire.
*/
-- Built with the warehouse's other tables, after the raw layer: a warehouse without articles
-- has no outlet to know.
select provider_domain, provider_kind
from (values
    ('msn.com', 'syndicator'),
    ('yahoo.com', 'syndicator'),
    ('news.yahoo.com', 'syndicator'),
    ('finance.yahoo.com', 'syndicator'),
    ('aol.com', 'syndicator'),
    ('flipboard.com', 'syndicator'),
    ('newsbreak.com', 'syndicator'),
    ('smartnews.com', 'syndicator'),
    ('ground.news', 'syndicator'),
    ('inkl.com', 'syndicator'),
    ('pressreader.com', 'syndicator'),
    ('newsnow.co.uk', 'syndicator'),
    ('news.google.com', 'syndicator'),
    ('apple.news', 'syndicator'),
    ('headtopics.com', 'syndicator'),
    ('prnewswire.com', 'wire'),
    ('prnewswire.co.uk', 'wire'),
    ('businesswire.com', 'wire'),
    ('globenewswire.com', 'wire'),
    ('accesswire.com', 'wire'),
    ('einpresswire.com', 'wire'),
    ('einnews.com', 'wire'),
    ('prweb.com', 'wire'),
    ('newswire.com', 'wire'),
    ('newswire.ca', 'wire'),
    ('marketwired.com', 'wire'),
    ('newsfilecorp.com', 'wire'),
    ('openpr.com', 'wire'),
    ('prlog.org', 'wire'),
    ('presseportal.de', 'wire'),
    ('ots.at', 'wire')
) as known(provider_domain, provider_kind)
where exists (select 1 from raw.articles)
order by provider_domain
