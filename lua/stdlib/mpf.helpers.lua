-- mpf.helpers: what experiment scripts would otherwise write by hand every time: waiting for a
-- server to listen or a file to appear (instead of guessing a delay), and sleeping.

local raise = require('mpf.util').raise
local R = require 'mpf.registry'
local host = R.host

local helpers = {}

local function check_timeout(api, timeout)
  if timeout == nil then return 10 end
  if type(timeout) ~= 'number' or timeout ~= timeout or timeout < 0 or timeout == math.huge then
    raise(('%s: timeout must be a number of seconds >= 0'):format(api))
  end
  return timeout
end

--- mpf.sleep(seconds): waits; a function's timeout still ends it.
function helpers.sleep(seconds)
  if type(seconds) ~= 'number' or seconds ~= seconds or seconds < 0 or seconds == math.huge then
    raise('mpf.sleep expects a number of seconds >= 0')
  end
  host.sleep(seconds)
end

--- mpf.wait_port(host, port [, timeout = 10]): waits until a TCP server listens on host:port;
--- raises when none does within timeout seconds. On the server's own machine (host one of its
--- addresses: '127.0.0.1', its interface's ip) it looks for the listening socket without
--- connecting, so a server that takes one connection (iperf3 -s -1) keeps it for its client;
--- for another machine's address, a connection is the only test.
function helpers.wait_port(address, port, timeout)
  if type(address) ~= 'string' or math.type(port) ~= 'integer' or port < 1 or port > 65535 then
    raise('mpf.wait_port expects (host, port [, timeout]): a host name or address and a port 1-65535')
  end
  timeout = check_timeout('mpf.wait_port', timeout)
  local deadline = host.now() + timeout
  repeat
    if host.port_open(address, port, math.max(0.05, math.min(0.5, deadline - host.now()))) then return true end
    host.sleep(math.max(0, math.min(0.05, deadline - host.now())))
  until host.now() >= deadline
  raise(('mpf.wait_port: nothing accepted connections on %s:%d within %s s'):format(address, port, timeout))
end

--- mpf.wait_file(path [, timeout = 10]): waits until a file exists (and can be read).
function helpers.wait_file(path, timeout)
  if type(path) ~= 'string' then raise('mpf.wait_file expects (path [, timeout])') end
  timeout = check_timeout('mpf.wait_file', timeout)
  local deadline = host.now() + timeout
  repeat
    local file = io.open(path, 'r')
    if file then
      file:close()
      return true
    end
    host.sleep(math.max(0, math.min(0.05, deadline - host.now())))
  until host.now() >= deadline
  raise(('mpf.wait_file: %s did not appear within %s s'):format(path, timeout))
end

return helpers
