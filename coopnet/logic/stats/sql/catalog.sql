-- What the store holds: per indicator and flow, the reporters, schemes, editions, years and row counts
-- (breakdowns: rows by second partner, customs procedure or mode of transport, not totals).
SELECT indicator, flow, scheme, unit, currency, count(*) AS observations,
       count(DISTINCT reporter) AS reporters, min(year) AS first_year, max(year) AS last_year,
       bool_or(is_synthetic) AS synthetic,
       list(DISTINCT edition ORDER BY edition) FILTER (WHERE edition <> '') AS editions,
       count(*) FILTER (WHERE partner2 <> '' OR customs <> '' OR transport <> '') AS breakdowns,
       list(DISTINCT source ORDER BY source)[1:5] AS sources
FROM obs_all
GROUP BY ALL
ORDER BY indicator, flow, scheme;
