-- The runbook's step 03 over the demo case: the two alerts and their entities; the suspect address is 23.97.60.214.
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
.read sql/steps/02_ioc_sightings.sql
.output stdout
.read sql/steps/03_alerts.sql
