select id, bool_col, int_col, long_col, dec_10_2, dec_38_0, str_col, date_col from demo.all_types order by id

