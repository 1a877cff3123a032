'abc'.upper(1)
