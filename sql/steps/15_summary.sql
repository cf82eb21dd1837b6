-- Step 15. The findings, one per step (the observations table every step added to).
.print
.print "== 15. Summary of findings"
SELECT step, caption, description FROM observations ORDER BY step;
