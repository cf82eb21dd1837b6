-- requires: datasets
-- A file of another kind is one error naming what it is and which table reads it, not
-- thousands of parse_error rows (an .evtx once gave 8,385). Through gzip too.
-- setup: printf 'type=LOGIN msg=audit(1551485405.594:266): pid=1 uid=0\n' > ${TMP}/audit.log && gzip -c ${TMP}/audit.log > ${TMP}/audit.log.gz
.headers off
.mode list
select count(*) from alerts('${DATASETS}/windows/evtx/security.evtx');
select count(*) from alerts('${TMP}/audit.log');
select count(*) from alerts('${TMP}/audit.log.gz');
select count(*) from alerts('${DATASETS}/alerts/alerts_list.jsonl');
