-- sql/prelude.sql — what every step of the runbook stands on: the case read into
-- tables (case.sql, from the folder in $case), the reusable views, and the
-- observations table each step adds its finding to.
.read sql/case.sql
.read sql/views/logins.sql
.read sql/views/sessions.sql
.read sql/views/process_creations.sql
.read sql/views/ip_sightings.sql
.read sql/views/ioc_sightings.sql
.read sql/views/timeline.sql
-- What the investigation found, one row per finding, as msticpy's Observations keep
-- them: a caption, a description, and the evidence (a short text or JSON).
DROP TABLE IF EXISTS temp.observations;
CREATE TEMP TABLE observations (step INTEGER, caption TEXT, description TEXT, evidence TEXT);
