-- sql/investigate.sql — the runbook: the "Step-by-Step Linux-Windows-Office
-- Investigation" notebook as SQL, the same steps in the same order, over one case
-- folder. Each step is a file of sql/steps/ with its why in its header; each prints
-- its answer and adds its finding to the observations table, which the last step
-- prints. docs/tutorial.md walks through it on the demo case.
--
-- From the repository root (or /usr/share/sqlhunt with the Debian package), with the
-- case folder in $case:
--
--   sqlite3 -cmd '.load build/sqlhunt' -cmd ".parameter set \$case 'examples/case'" \
--           :memory: '.read sql/investigate.sql'
--
-- or scripts/investigate CASE_DIR [REPORT.html], which also writes the report
-- (sql/report.sql). Every step is plain SQL over the case tables and the views of
-- sql/views/: change one at the prompt and run it again.
.headers on
.mode box --wrap 72
.read sql/prelude.sql
.read sql/steps/01_report_iocs.sql
.read sql/steps/02_ioc_sightings.sql
.read sql/steps/03_alerts.sql
.read sql/steps/04_ip_checks.sql
.read sql/steps/05_ssh_brute_force.sql
.read sql/steps/06_linux_logins.sql
.read sql/steps/07_linux_session_tree.sql
.read sql/steps/08_linux_patterns.sql
.read sql/steps/09_linux_persistence.sql
.read sql/steps/10_network.sql
.read sql/steps/11_windows_logons.sql
.read sql/steps/12_windows_session_tree.sql
.read sql/steps/13_office.sql
.read sql/steps/14_timeline.sql
.read sql/steps/15_summary.sql
