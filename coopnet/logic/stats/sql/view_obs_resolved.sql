-- The observations every indicator reads (totals only: obs_totals has no breakdown rows), one value per
-- key. Where two or more sources give a value for the same key (indicator, reporter, partner, scheme, product, flow, period), the most recently
-- retrieved one is used (then the source name, then the note), and all of them stay visible through
-- conflicts.sql and series.sql. Indicators listed in overlapping(indicator) need the resolution; the
-- others are read as they are.
CREATE OR REPLACE VIEW obs AS
SELECT * FROM obs_totals WHERE indicator NOT IN (SELECT indicator FROM overlapping)
UNION ALL
SELECT * EXCLUDE (rn) FROM (
    SELECT *, row_number() OVER (
        PARTITION BY indicator, reporter, partner, scheme, product, flow, period
        ORDER BY retrieved DESC NULLS LAST, source, note, locator
    ) AS rn
    FROM obs_totals
    WHERE indicator IN (SELECT indicator FROM overlapping)
) WHERE rn = 1;
