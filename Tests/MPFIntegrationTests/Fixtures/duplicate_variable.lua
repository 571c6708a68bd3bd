mpf.add_variable("x", {1})
mpf.add_variable("x", {2})
