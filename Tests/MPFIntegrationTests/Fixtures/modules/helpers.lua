local helpers = {}
function helpers.double(x) return 2 * x end
return helpers
