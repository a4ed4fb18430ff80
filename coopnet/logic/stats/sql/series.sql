-- Time series as stored, every source kept: one row per observation with its provenance, and the
-- number of distinct values other sources give for the same key (conflicts > 0 means "they disagree").
-- Breakdown rows (partner2, customs, transport not empty) are listed with their breakdown, as keys of their own.
-- Parameters: $indicator (required), $reporter, $partner, $product (prefix), $flow, $from, $to: NULL = any.
WITH sel AS (
    SELECT * FROM obs_all
    WHERE indicator = $indicator
      AND ($reporter IS NULL OR reporter = $reporter)
      AND ($partner IS NULL OR partner = $partner)
      AND ($product IS NULL OR product = $product OR starts_with(product, $product))
      AND ($flow IS NULL OR flow = $flow)
      AND ($from IS NULL OR year >= $from)
      AND ($to IS NULL OR year <= $to)
)
SELECT indicator, reporter, partner, scheme, product, flow, period, year, period_kind, value, unit, currency,
       source, document, locator, retrieved, note, is_synthetic, edition, partner2, customs, transport,
       count(DISTINCT value) OVER (
           PARTITION BY indicator, reporter, partner, scheme, product, flow, period, partner2, customs, transport
       ) - 1
           AS conflicts
FROM sel
ORDER BY reporter, partner, product, flow, period, partner2, customs, transport, source, note
LIMIT $limit;
