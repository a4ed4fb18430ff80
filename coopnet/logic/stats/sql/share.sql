-- Share of each product in its whole: value / whole, where the whole is the series' TOTAL row for the
-- same reporter, partner, flow and period when there is one, else the sum of the products listed.
--   share(c, p, t) = V(c, p, t) / V(c, TOTAL, t)
-- Parameters: $series, $reporter, $partner, $flow, $product (prefix), $from, $to.
WITH s AS (
    SELECT reporter, partner, flow, scheme, product, period, year, value, source, locator
    FROM obs
    WHERE indicator = $series
      AND ($reporter IS NULL OR reporter = $reporter)
      AND ($partner IS NULL OR partner = $partner)
      AND ($flow IS NULL OR flow = $flow)
      AND ($from IS NULL OR year >= $from)
      AND ($to IS NULL OR year <= $to)
),
whole AS (
    SELECT reporter, partner, flow, period,
           coalesce(max(value) FILTER (WHERE product = 'TOTAL'), sum(value) FILTER (WHERE product <> 'TOTAL'))
               AS whole
    FROM s GROUP BY ALL
)
SELECT s.reporter, s.partner, s.flow, s.scheme, s.product, s.period, s.year, s.value, w.whole,
       CASE WHEN w.whole <> 0 THEN s.value / w.whole END AS share, s.source, s.locator
FROM s JOIN whole w USING (reporter, partner, flow, period)
WHERE s.product <> 'TOTAL' AND ($product IS NULL OR starts_with(s.product, $product))
ORDER BY s.reporter, s.partner, s.flow, s.period, share DESC;
