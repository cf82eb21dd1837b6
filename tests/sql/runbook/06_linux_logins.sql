-- The runbook's step 06 over the demo case: the successful logins with the account named (dbadmin, not an empty acct) and their sessions.
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
.read sql/steps/03_alerts.sql
.read sql/steps/04_ip_checks.sql
.read sql/steps/05_ssh_brute_force.sql
.output stdout
.read sql/steps/06_linux_logins.sql
