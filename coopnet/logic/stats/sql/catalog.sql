-- What the store holds: per indicator and flow, the reporters, schemes, years and row counts.
SELECT indicator, flow, scheme, unit, currency, count(*) AS observations,
       count(DISTINCT reporter) AS reporters, min(year) AS first_year, max(year) AS last_year,
       bool_or(is_synthetic) AS synthetic, list(DISTINCT source ORDER BY source)[1:5] AS sources
FROM obs_all
GROUP BY ALL
ORDER BY indicator, flow, scheme;
