-- The latest year with annual observations of a series and flow (the default year of other queries).
SELECT max(year) AS year FROM obs
WHERE indicator = $indicator AND period_kind = 'year' AND ($flow IS NULL OR flow = $flow);
