-- ioc_sightings: where the threat reports' indicators appear in the evidence.
-- A view of the case database scripts/case-db writes (see logins.sql). Addresses are
-- matched by value in every address column (the ip_sightings view); every indicator
-- also by its text inside command lines and alert texts.
--   type, value, report     the indicator and the report that names it
--   source, field           the table and column it was seen in
--   time, host, file, line  the row that shows it

-- Each indicator once per report (a report may name it several times).

-- part: case_iocs
SELECT i.type, i.value, i.file AS report, s.source, s.field, s.time, s.host, s.file, s.line
FROM (SELECT DISTINCT type, value, file FROM case_iocs) i JOIN ip_sightings s ON s.ip = i.value
WHERE s.source <> 'case_iocs'

-- part: case_iocs, case_audit_events
SELECT i.type, i.value, i.file, 'case_audit_events', 'cmdline', e.time, e.node, e.file, e.line
FROM (SELECT DISTINCT type, value, file FROM case_iocs) i JOIN case_audit_events e ON instr(e.cmdline, i.value) > 0

-- part: case_iocs, case_win_events
SELECT i.type, i.value, i.file, 'case_win_events', 'command_line', w.time, w.computer, w.file, w.line
FROM (SELECT DISTINCT type, value, file FROM case_iocs) i JOIN case_win_events w ON instr(w.command_line, i.value) > 0

-- part: case_iocs, case_alerts
SELECT i.type, i.value, i.file, 'case_alerts', 'description, extended_properties', a.time, a.compromised_entity, a.file, a.line
FROM (SELECT DISTINCT type, value, file FROM case_iocs) i JOIN case_alerts a ON instr(a.description || ' ' || coalesce(a.extended_properties, ''), i.value) > 0
