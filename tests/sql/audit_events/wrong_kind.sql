-- requires: datasets
-- A file of another kind is one error naming what it is and which table reads it (a
-- JSON-lines alerts export once gave count(*) = 25, an .evtx 8,386 junk rows); in a
-- glob, a file that cannot be read (wrong kind, a FIFO) is one row of its own saying
-- why and the other files are read.
-- setup: mkdir -p ${TMP}/case && printf 'type=LOGIN msg=audit(1551485405.594:266): pid=1 uid=0\n' > ${TMP}/case/a.log && cp ${DATASETS}/alerts/alerts_list.jsonl ${TMP}/case/b.log && mkfifo ${TMP}/case/c.log
.headers off
.mode list
select count(*) from audit_events('${DATASETS}/alerts/alerts_list.jsonl');
select count(*) from audit_events('${DATASETS}/windows/evtx/security.evtx');
select count(*) from audit_records('${DATASETS}/alerts/alerts_list.jsonl');
select replace(file, '${TMP}/', ''), line, type, parse_error from audit_events('${TMP}/case/*.log');
select replace(file, '${TMP}/', ''), line, type, parse_error from audit_records('${TMP}/case/*.log');
