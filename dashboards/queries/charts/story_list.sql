select
    story_id,
    title,
    strftime(first_published_at, '%Y-%m-%dT%H:%M:%S') as first_published_at,
    first_provider_domain,
    first_date_only,
    providers,
    items,
    round(span_hours, 2) as span_hours
from chosen
order by providers desc, items desc, story_id
