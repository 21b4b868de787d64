-- Quarantined files per kind of error. Quarantined files have no date, provider or topic:
-- the inputs do not apply.
select error_kind, count(*) as files
from raw.quarantine
group by error_kind
order by files desc, error_kind
