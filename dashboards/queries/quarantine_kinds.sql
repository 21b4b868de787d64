-- Quarantined files per kind of error.
select
    error_kind,
    count(*) as files
from raw.quarantine
group by all
order by files desc, error_kind
