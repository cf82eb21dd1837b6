-- ioc_sightings: where the threat reports' indicators appear in the evidence.
-- Addresses are matched by value in every address column (the ip_sightings view);
-- every indicator also by its text inside command lines (Linux: case as written;
-- Windows: without regard to case, as Windows reads paths) and the alerts' texts. Needs
-- ip_sightings first. Each part
-- takes each indicator once per report (a report may name it several times); a part
-- repeats that subquery because scripts/case-db uses only the parts whose tables exist.
--   type, value, report     the indicator and the report that names it
--   source, field           the table and column it was seen in
--   time, host, file, line  the row that shows it
DROP VIEW IF EXISTS temp.ioc_sightings;
CREATE TEMP VIEW ioc_sightings AS
-- part: case_iocs, ip_sightings
SELECT i.type, i.value, i.file AS report, s.source, s.field, s.time, s.host, s.file, s.line
FROM (SELECT DISTINCT type, value, file FROM case_iocs) i JOIN ip_sightings s ON s.ip = i.value
WHERE s.source <> 'case_iocs'
UNION ALL
-- part: case_iocs, case_audit_events
SELECT i.type, i.value, i.file, 'case_audit_events', 'cmdline', e.time, e.node, e.file, e.line
FROM (SELECT DISTINCT type, value, file FROM case_iocs) i JOIN case_audit_events e ON instr(e.cmdline, i.value) > 0
UNION ALL
-- part: case_iocs, case_win_events
SELECT i.type, i.value, i.file, 'case_win_events', 'command_line', w.time, w.computer, w.file, w.line
FROM (SELECT DISTINCT type, value, file FROM case_iocs) i
JOIN case_win_events w ON instr(lower(w.command_line), lower(i.value)) > 0
UNION ALL
-- part: case_iocs, case_alerts
SELECT i.type, i.value, i.file, 'case_alerts', 'description, extended_properties', a.time, a.compromised_entity,
       a.file, a.line
FROM (SELECT DISTINCT type, value, file FROM case_iocs) i
JOIN case_alerts a ON instr(a.description || ' ' || coalesce(a.extended_properties, ''), i.value) > 0;
