select l_returnflag, l_linestatus, count(*) as line_count from lineitem group by l_returnflag, l_linestatus order by l_returnflag, l_linestatus

