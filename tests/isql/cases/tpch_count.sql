select count(*) from lineitem

