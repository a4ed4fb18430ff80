-- Every observation as stored, totals and breakdowns, with its provenance: what an export writes.
-- Parameters: $indicator, $reporter, $partner, $product (prefix), $flow, $from, $to: NULL = any.
SELECT * FROM obs_all
WHERE ($indicator IS NULL OR indicator = $indicator)
  AND ($reporter IS NULL OR reporter = $reporter)
  AND ($partner IS NULL OR partner = $partner)
  AND ($product IS NULL OR starts_with(product, $product))
  AND ($flow IS NULL OR flow = $flow)
  AND ($from IS NULL OR year >= $from)
  AND ($to IS NULL OR year <= $to)
ORDER BY indicator, reporter, partner, scheme, product, flow, period, partner2, customs, transport, source, locator;
