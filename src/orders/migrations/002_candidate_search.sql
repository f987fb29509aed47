-- replaces: 003_candidate_search.sql
-- Candidate retrieval walks volunteers nearest first instead of sorting everyone in a bounding box.
-- A GiST index on point(lng, lat) answers `ORDER BY point(lng, lat) <-> centre LIMIT n` by reading about n entries
-- (PostgreSQL KNN-GiST: core, also in PGlite), and `<@ box` stops the walk at the search box. `<->` is the same
-- degree-space distance the candidate query always ordered by, so the same volunteers come back (the box edge
-- gains PostgreSQL's geometric tolerance of 1e-6°, about 0.1 m).
-- findCandidates in store/candidates.ts repeats the expression verbatim so the planner matches the index.
DROP INDEX IF EXISTS volunteers_geo;
CREATE INDEX volunteers_near ON volunteers USING gist (point(lng, lat)) WHERE active;

-- Partitioned by skill: a category that requires a skill (legal_aid needs 'legal', 2 % of volunteers) walks only
-- the volunteers holding it, instead of skipping fifty others for each match. One per skill of the catalogue
-- vocabulary (store/catalogue.ts SKILLS), so editing which skills a category requires needs no migration.
CREATE INDEX volunteers_near_companion ON volunteers USING gist (point(lng, lat)) WHERE active AND skills @> '{companion}';
CREATE INDEX volunteers_near_escort ON volunteers USING gist (point(lng, lat)) WHERE active AND skills @> '{escort}';
CREATE INDEX volunteers_near_medical ON volunteers USING gist (point(lng, lat)) WHERE active AND skills @> '{medical}';
CREATE INDEX volunteers_near_errand ON volunteers USING gist (point(lng, lat)) WHERE active AND skills @> '{errand}';
CREATE INDEX volunteers_near_repair ON volunteers USING gist (point(lng, lat)) WHERE active AND skills @> '{repair}';
CREATE INDEX volunteers_near_electrical ON volunteers USING gist (point(lng, lat)) WHERE active AND skills @> '{electrical}';
CREATE INDEX volunteers_near_plumbing ON volunteers USING gist (point(lng, lat)) WHERE active AND skills @> '{plumbing}';
CREATE INDEX volunteers_near_digital ON volunteers USING gist (point(lng, lat)) WHERE active AND skills @> '{digital}';
CREATE INDEX volunteers_near_counseling ON volunteers USING gist (point(lng, lat)) WHERE active AND skills @> '{counseling}';
CREATE INDEX volunteers_near_legal ON volunteers USING gist (point(lng, lat)) WHERE active AND skills @> '{legal}';
CREATE INDEX volunteers_near_childcare ON volunteers USING gist (point(lng, lat)) WHERE active AND skills @> '{childcare}';
CREATE INDEX volunteers_near_tutoring ON volunteers USING gist (point(lng, lat)) WHERE active AND skills @> '{tutoring}';
CREATE INDEX volunteers_near_cleaning ON volunteers USING gist (point(lng, lat)) WHERE active AND skills @> '{cleaning}';
CREATE INDEX volunteers_near_disability ON volunteers USING gist (point(lng, lat)) WHERE active AND skills @> '{disability}';
CREATE INDEX volunteers_near_sign_language ON volunteers USING gist (point(lng, lat)) WHERE active AND skills @> '{sign_language}';
CREATE INDEX volunteers_near_first_aid ON volunteers USING gist (point(lng, lat)) WHERE active AND skills @> '{first_aid}';
CREATE INDEX volunteers_near_driving ON volunteers USING gist (point(lng, lat)) WHERE active AND skills @> '{driving}';

-- Per-candidate history, probed once for each of the (up to 500) candidates of an order: hours earned this
-- month and the few orders a volunteer holds, both answered from the index alone. Covering matters beyond the
-- saved heap visit: with a small orders table the planner otherwise prefers a sequential scan per candidate.
CREATE INDEX ledger_earned ON ledger_entries (account, created_at) INCLUDE (hours) WHERE hours > 0;
CREATE INDEX orders_held ON orders (volunteer_id) INCLUDE (wanted_at, updated_at, planned_hours)
  WHERE status IN ('claimed', 'in_service');
