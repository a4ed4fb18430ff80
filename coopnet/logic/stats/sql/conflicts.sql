-- Keys for which the sources disagree: every value with its provenance, so both stay visible. A breakdown
-- (second partner, customs procedure, mode of transport) is a key of its own, never a rival of its total.
-- Parameters: $indicator (NULL = all).
WITH keys AS (
    SELECT indicator, reporter, partner, scheme, product, flow, period, partner2, customs, transport
    FROM obs_all
    WHERE ($indicator IS NULL OR indicator = $indicator)
    GROUP BY ALL
    HAVING count(DISTINCT value) > 1
)
SELECT o.indicator, o.reporter, o.partner, o.scheme, o.product, o.flow, o.period, o.value, o.unit,
       o.currency, o.edition, o.partner2, o.customs, o.transport, o.source, o.document, o.locator, o.note
FROM obs_all o JOIN keys USING (indicator, reporter, partner, scheme, product, flow, period, partner2, customs, transport)
ORDER BY o.indicator, o.reporter, o.product, o.period, o.source, o.note;
