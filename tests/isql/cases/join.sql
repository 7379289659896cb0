select n_name, r_name from nation join region on n_regionkey = r_regionkey where n_nationkey < 5 order by n_nationkey

