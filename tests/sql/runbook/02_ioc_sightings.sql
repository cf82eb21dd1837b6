-- The runbook's step 02 over the demo case: which indicators appear in which source: the attacker's address in the audit log, the alerts, the flows and Office; the dropper in command lines; the C2 domain in curl.
-- Steps before it run first with their output thrown away (each step stands on what the
-- earlier ones found); the case is generated afresh by examples/make_case.py.
-- requires: table:win_events, table:net_flows, table:office_activity, table:svg_timeline
-- setup: /usr/bin/python3 ${SOURCE}/examples/make_case.py ${TMP}/case
.parameter set $case '${TMP}/case'
.headers on
.mode box --wrap 72
.output /dev/null
.read sql/prelude.sql
.read sql/steps/01_report_iocs.sql
.output stdout
.read sql/steps/02_ioc_sightings.sql
