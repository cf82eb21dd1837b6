-- sql/case.sql — a case folder's evidence, read once into tables the runbook queries.
--
-- Run in the sqlite3 shell with sqlhunt loaded, the case folder in the parameter $case
-- (relative to where the shell runs, or absolute):
--
--   sqlite3 -cmd '.load build/sqlhunt' -cmd ".parameter set \$case 'examples/case'"
--   sqlite> .read sql/case.sql
--
-- The folder's layout is docs/clients.md's ("The case folder"): audit/audit.log*,
-- alerts*, windows/*, office/*, network/*, threat_report*.txt and reports/*, ti_feed*
-- and ti/*, etc/passwd. Each source becomes a TEMP table named as scripts/case-db names
-- it (case_audit_events, case_alerts, case_alert_entities, case_win_events,
-- case_office_activity, case_net_flows, case_iocs), so the views of sql/views/ and the
-- runbook's steps work the same over a case database that scripts/case-db wrote
-- (open it and skip this file). TEMP: nothing is written into a database you opened.
--
-- Nothing leaves the machine: `offline` is set, so GeoIP, ASN and the case's own
-- threat-intel feed answer and no remote provider is asked.

-- The settings, and what they were set to (silently: a table, not printed rows). The
-- case's TI feeds are the `local` provider's indicator files; the host's passwd and
-- group files, when the case has them, name the uids the audit log writes as numbers.
DROP TABLE IF EXISTS temp.case_settings;
CREATE TEMP TABLE case_settings AS
SELECT 'offline' AS key, sqlhunt_config('offline', 1) AS value
UNION ALL SELECT 'ti.local', sqlhunt_config('ti.local', $case || '/ti_feed*:' || $case || '/ti/*')
UNION ALL SELECT 'audit.passwd', CASE WHEN EXISTS (SELECT 1 FROM fsdir($case) WHERE name = $case || '/etc/passwd')
                                      THEN sqlhunt_config('audit.passwd', $case || '/etc/passwd') END
UNION ALL SELECT 'audit.group', CASE WHEN EXISTS (SELECT 1 FROM fsdir($case) WHERE name = $case || '/etc/group')
                                     THEN sqlhunt_config('audit.group', $case || '/etc/group') END;

DROP TABLE IF EXISTS temp.case_audit_events;
CREATE TEMP TABLE case_audit_events AS SELECT * FROM audit_events($case || '/audit/audit.log*');
DROP TABLE IF EXISTS temp.case_alerts;
CREATE TEMP TABLE case_alerts AS SELECT * FROM alerts($case || '/alerts*');
DROP TABLE IF EXISTS temp.case_alert_entities;
CREATE TEMP TABLE case_alert_entities AS
SELECT a.time, a.system_alert_id, e.*, a.file, a.line FROM case_alerts a, alert_entities(a.entities) e;
DROP TABLE IF EXISTS temp.case_win_events;
CREATE TEMP TABLE case_win_events AS SELECT * FROM win_events($case || '/windows/*');
DROP TABLE IF EXISTS temp.case_office_activity;
CREATE TEMP TABLE case_office_activity AS SELECT * FROM office_activity($case || '/office/*');
DROP TABLE IF EXISTS temp.case_net_flows;
CREATE TEMP TABLE case_net_flows AS SELECT * FROM net_flows($case || '/network/*');
-- Every indicator of every report, with the report it is in (`file`, relative to $case).
DROP TABLE IF EXISTS temp.case_iocs;
CREATE TEMP TABLE case_iocs AS
SELECT i.*, substr(f.name, length($case) + 2) AS file
FROM fsdir($case) f, iocs(CAST(f.data AS TEXT)) i
WHERE f.name GLOB $case || '/threat_report*.txt' OR f.name GLOB $case || '/reports/*';

CREATE INDEX IF NOT EXISTS temp.case_audit_events_ses ON case_audit_events(ses);
CREATE INDEX IF NOT EXISTS temp.case_win_events_logon ON case_win_events(subject_logon_id);
