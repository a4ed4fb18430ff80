-- The organisations in the member states whose registered competencies cover product $product (HS, any
-- depth): codes that start with it (finer or equal) or that it starts with (coarser). Table capacity as in
-- opportunities.sql.
SELECT org_id, public_id, name, country, region, code, capacity_quantity, capacity_unit, capacity_period,
       length(code) >= length($product) AS exact_or_finer
FROM capacity
WHERE scheme = 'hs' AND country IN ('AM', 'BY', 'KG', 'KZ', 'RU')
  AND (starts_with(code, $product) OR starts_with($product, code))
ORDER BY exact_or_finer DESC, country, name, code;
