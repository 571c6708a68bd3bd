local helpers = require('helpers')
local net = {}
function net.describe(x) return 'link-' .. helpers.double(x + 10) end
return net
