select id, bool_col, int_col, long_col, double_col, dec_10_2, dec_38_0, dec_38_10, date_col, datetime_col, tstz_col, bin_col, interval_col, array_col from demo.all_types order by id

