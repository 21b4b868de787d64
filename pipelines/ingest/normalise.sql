-- The contract's field normalisations, as DuckDB macros over the front matter's JSON.
-- One rule each, applied alike to an article and to the entries of its `related` list.

-- Text of a JSON scalar; NULL for objects, arrays and nulls.
create or replace temp macro fm_text(j) as
    case when json_type(j) in ('OBJECT', 'ARRAY', 'NULL') then null else j ->> '$' end;

-- Surrounding white space removed, Unicode spaces included.
create or replace temp macro strip_ws(s) as
    regexp_replace(s, '^[\s\p{Z}]+|[\s\p{Z}]+$', '', 'g');

-- A list as a list, a single value as a list of one, null as empty.
create or replace temp macro as_list(j) as
    case
        when j is null or json_type(j) = 'NULL' then []::json[]
        when json_type(j) = 'ARRAY' then j::json[]
        else [j]
    end;

-- ISO-8601 (T or space, optional seconds and fraction, Z or ±HH:MM) or a date alone -> UTC.
create or replace temp macro iso_parts(s) as
    regexp_extract(
        strip_ws(s),
        '^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)? ?(?:([Zz])|([+-])(\d{1,2})(?::?(\d{2}))?)?$',
        ['y', 'mo', 'd', 'h', 'mi', 'sec', 'frac', 'z', 'sign', 'oh', 'om']
    );

create or replace temp macro offset_minutes(p) as
    try_cast(nullif(p.oh, '') as integer) * 60 + coalesce(try_cast(nullif(p.om, '') as integer), 0);

create or replace temp macro utc_from_parts(p) as
    case
        when p.y = '' then null
        when p.h = '' and (p.z <> '' or p.sign <> '') then null
        when p.sign <> '' and offset_minutes(p) >= 24 * 60 then null
        else try_cast(
            p.y || '-' || p.mo || '-' || p.d || ' '
            || coalesce(nullif(p.h, ''), '00') || ':' || coalesce(nullif(p.mi, ''), '00') || ':'
            || coalesce(nullif(p.sec, ''), '00') || '.' || rpad(left(p.frac, 6), 6, '0')
            as timestamp
        ) - to_minutes(case p.sign when '+' then offset_minutes(p) when '-' then -offset_minutes(p) else 0 end)
    end;

create or replace temp macro text_value(j) as
    case when json_type(j) = 'VARCHAR' then j ->> '$' end;

-- A non-negative integer: a JSON integer, an integral float, or a string of digits.
create or replace temp macro non_negative_int(j) as
    case json_type(j)
        when 'UBIGINT' then try_cast(j ->> '$' as bigint)
        when 'DOUBLE' then
            case when j::double >= 0 and j::double = floor(j::double) and j::double < 9.2e18
                then j::double::bigint end
        when 'VARCHAR' then
            try_cast(nullif(regexp_extract(j ->> '$', '^[\s\p{Z}]*([0-9]+)[\s\p{Z}]*$', 1), '') as bigint)
    end;

-- An integer, with -1 (the exporters' "unknown") as NULL.
create or replace temp macro heat_value(j) as
    nullif(
        case json_type(j)
            when 'UBIGINT' then try_cast(j ->> '$' as bigint)
            when 'BIGINT' then j::bigint
            when 'DOUBLE' then
                case when j::double = floor(j::double) and abs(j::double) < 9.2e18
                    then j::double::bigint end
        end,
        -1
    );

create or replace temp macro boolean_value(j) as
    case when json_type(j) = 'BOOLEAN' then j::boolean end;

-- Source URLs: scheme://[userinfo@]host[:port]path[?query][#fragment].
create or replace temp macro url_parts(u) as
    regexp_extract(
        strip_ws(u),
        '^([A-Za-z][A-Za-z0-9+.\-]*)://([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?$',
        ['scheme', 'netloc', 'path', 'query']
    );

create or replace temp macro host_port(netloc) as
    regexp_extract(
        regexp_replace(netloc, '^.*@', ''),
        '^(?:\[([^\]]*)\]|([^:\[\]]*))(?::([0-9]*))?$',
        ['v6', 'name', 'port']
    );

create or replace temp macro bare_host(hp) as
    regexp_replace(lower(coalesce(nullif(hp.v6, ''), hp.name)), '^www\.', '');

-- https, lowercase host without www., no default port, fragment or utm_* parameters,
-- no trailing slash, spaces as %20; NULL when not an absolute http(s) URL with a host.
create or replace temp macro canonical_from(parts, hp, host) as
    case
        when lower(parts.scheme) not in ('http', 'https') or host = '' then null
        else replace(
            'https://'
            || case when contains(host, ':') then '[' || host || ']' else host end
            || case
                when hp.port = '' then ''
                when try_cast(hp.port as integer) in (443, case lower(parts.scheme) when 'http' then 80 else 443 end) then ''
                else ':' || try_cast(hp.port as integer)::varchar
            end
            || case when ends_with(parts.path, '/') then substr(parts.path, 1, length(parts.path) - 1) else parts.path end
            || coalesce('?' || nullif(array_to_string(list_filter(
                string_split(parts.query, '&'),
                lambda q: q <> '' and not starts_with(lower(q), 'utm_')), '&'), ''), ''),
            ' ', '%20'
        )
    end;

create or replace temp macro domain_value(j) as
    nullif(regexp_replace(lower(strip_ws(fm_text(j))), '^www\.', ''), '');

create or replace temp macro topic_labels(j) as
    list_filter(
        list_transform(as_list(j), lambda t: nullif(regexp_replace(strip_ws(fm_text(t)), '[\s\p{Z}]+', ' ', 'g'), '')),
        lambda label: label is not null
    );

create or replace temp macro image_list(j) as
    list_transform(as_list(j), lambda i:
        case when json_type(i) = 'OBJECT' then {
            'url': fm_text(i -> '$.url'),
            'width': non_negative_int(i -> '$.width'),
            'height': non_negative_int(i -> '$.height'),
            'title': strip_ws(fm_text(i -> '$.title'))
        } else {
            'url': fm_text(i), 'width': null::bigint, 'height': null::bigint, 'title': null::varchar
        } end
    );

-- The URL a related entry names: the first of sourceUrl, originalUrl, webUrl present.
create or replace temp macro entry_url(r) as
    case
        when json_exists(r, '$.sourceUrl') then r -> '$.sourceUrl'
        when json_exists(r, '$.originalUrl') then r -> '$.originalUrl'
        else r -> '$.webUrl'
    end;

create or replace temp macro text_url(j) as strip_ws(text_value(j));

-- The canonical URL of one value, built from the pieces above (the load stages the same
-- pieces per distinct URL).
create or replace temp macro canonical_url(u) as
    canonical_from(url_parts(u), host_port(url_parts(u).netloc), bare_host(host_port(url_parts(u).netloc)));
