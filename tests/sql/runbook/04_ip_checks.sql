-- The runbook's step 04 over the demo case: GeoIP and ASN of the report's and alerts' addresses (23.97.60.214 is in Singapore, AS8075) and the local TI feed's verdicts.
-- Steps before it run first with their output thrown away (each step stands on what the
-- earlier ones found); the case is generated afresh by examples/make_case.py.
-- requires: table:win_events, table:net_flows, table:office_activity, table:svg_timeline, geoip
-- setup: /usr/bin/python3 ${SOURCE}/examples/make_case.py ${TMP}/case
.parameter set $case '${TMP}/case'
.headers on
.mode box --wrap 72
.output /dev/null
.read sql/prelude.sql
.read sql/steps/01_report_iocs.sql
.read sql/steps/02_ioc_sightings.sql
.read sql/steps/03_alerts.sql
.output stdout
.read sql/steps/04_ip_checks.sql
