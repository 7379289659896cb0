select id, str_col, length(str_col) from demo.all_types where id in (1, 3) order by id
select length(long_str_col), substr(long_str_col, 9991) from demo.all_types where id = 1

