-- The first $top quarantined files by kind and path, with the line and the reason.
select source_path, error_kind, line, message
from raw.quarantine
order by error_kind, source_path
limit $top
