-- The observations every query reads. Used when no indicator is given by two sources: obs = obs_all.
CREATE OR REPLACE VIEW obs AS SELECT * FROM obs_all;
