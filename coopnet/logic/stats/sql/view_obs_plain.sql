-- The observations every indicator reads. Used when no indicator is given by two sources: obs = the totals
-- (obs_totals: obs_all without breakdown rows by second partner, customs procedure or mode of transport).
CREATE OR REPLACE VIEW obs AS SELECT * FROM obs_totals;
