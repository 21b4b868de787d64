-- Quarantined files with their reason; $rows at most.
select
    source_path,
    error_kind,
    line,
    message,
    file_size,
    file_mtime
from raw.quarantine
order by error_kind, source_path
limit $rows
