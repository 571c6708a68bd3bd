mpf.add_variable("x", {1,2}
mpf.run{role="a"}(function() end)
