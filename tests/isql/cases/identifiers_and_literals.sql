select count(*) from local.tpch.nation
select "n_name" from "nation" where "n_nationkey" = 0
select 'it\'s', 'back\\slash'

