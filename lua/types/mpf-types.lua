---@meta mpf
-- Definitions of mpf's Lua API for the Lua language server (LuaLS), so that editors complete
-- and check experiment scripts. `mpf types > mpf-types.lua` in the scripts' folder is enough:
-- the server reads every `---@meta` file of the workspace. Documentation: docs/lua-api.md.

---A run's context, the parameter named `ctx` (or `mpf_ctx`).
---@class mpf.Context
---@field role string The role this function runs as.
---@field roles table<string, mpf.Role> Every role of the experiment, by name.
---@field run integer The run's number (0 for init functions).
---@field repetition integer Which repetition of its point this run is (0-based).
---@field kind ('run'|'init')? What called the function: a run, or the experiment's start (mpf.init).
---@field node mpf.Node Which machine of its role this worker is (a role may have several).
---@field interface mpf.Interface? A link function's end of the link (mpf.run{link = ...}).
---@field experiment {id: string, dir: string} The experiment's id and directory (controller side).
---@field software table<string, {dir: string?, commit: string?, dirs: table<string, string>?}> Each mpf.software's build folder on this machine.

---One machine of a role: `ctx.node`, and each item of `ctx.roles.NAME`.
---@class mpf.Node
---@field index integer Its place in the role (1-based, in the cluster file's order).
---@field name string Its worker's name: the role's name, or client1, client2, ... when the role has several.
---@field role string Its role.
---@field count integer How many machines the role has.
---@field machine string The machine's host name.
---@field interfaces mpf.Interface[] Its interfaces.

---A role: its machines as a list (`#ctx.roles.client`, `ctx.roles.client[2]`), and the first one's
---interfaces and machine for a role of one machine.
---@class mpf.Role: mpf.Node[]
---@field interfaces mpf.Interface[] The (first) machine's interfaces, as the cluster file lists them.
---@field machine string The (first) machine's host name.
---@field count integer How many machines the role has.

---@class mpf.Interface
---@field name string
---@field ip string
---@field link string?
---@field direction string?
---@field neighbour string?

---What `ex` returns: the command's standard output as a list of lines.
---@class mpf.ExResult: string[]
---@field code integer The exit status.
---@field stderr string Its standard error.

---@class mpf.FunctionOptions
---@field role string The role that runs it (or the name of a variable whose values are roles).
---@field link string? Runs on both ends of this link instead of a role (mpf.run).
---@field delay number? Seconds to wait, from the start of its stage, before it is called (mpf.run).
---@field parallel boolean? Runs at the same time as the functions registered after it, up to and including the next non-parallel one: together they are a stage (mpf.run).
---@field timeout number? Seconds it may take; then it is ended and the run fails.
---@field retries integer? Times a failed call is tried again (mpf.run).
---@field aggregate (('sum'|'mean'|'min'|'max'|'median')|table<string, ('sum'|'mean'|'min'|'max'|'median')>)? A role of several machines: folds every machine's result into one column (every result, or by result name) (mpf.run).

---@class mpf.SoftwareOptions
---@field name string Its name: ctx.software.NAME in functions.
---@field roles string[]? The roles whose machines get it (or `role`).
---@field role string? One role.
---@field dir string? A folder of the controller (relative to the script's folder).
---@field git {url: string, ref: string?}? A git repository and a ref ($name: a build variable).
---@field apt string[]? Debian/Ubuntu packages it needs (installed when missing).
---@field dnf string[]? Fedora/RHEL packages it needs.
---@field build (string|string[])? Shell commands run in its folder ($name: a build variable).
---@field build_timeout number? Seconds each build step may take on a node (default 3600); then it is ended there and the deploy fails.

---@class mpf.ExperimentOptions
---@field n_runs (integer|{min: integer, max: integer, until_ci: number, on: string})? Repetitions of each point (default 3), or adaptive: min to max, until the 95% interval of `on` is within until_ci of its mean.
---@field seed integer? Seed of the shuffled run order.
---@field on_error ('continue'|'stop')? What a failed run does to the experiment.
---@field label string? A name for the experiment, stored with it: what `mpf plot A B`, `mpf compare`, the report and `load_many` call it (`mpf run --label` overrides it).
---@field on_run fun(df: mpf.DataFrame, row: table)? Called after each run with the runs so far.
---@field design {kind: ('random'|'lhs'|'wsp')?, points: integer?, file: string?}? Runs only this many points, chosen by the design (seeded), or those of a CSV file (mpf plan --points-out).
---@field wsp_target integer? The original mpf's form of design = {kind = 'wsp', points = N}.

---@class mpf.PlotOptions
---@field y string The result to draw.
---@field x string? The variable on the x axis.
---@field by string|string[]? The variables that become series.
---@field kind ('line'|'bar'|'box'|'violin'|'cdf'|'heatmap'|'scatter')?
---@field logx boolean?
---@field logy boolean?
---@field title string?
---@field file string? Where the SVG goes (default: the experiment's graphs/ folder).
---@field term boolean? Draw in the terminal instead.

---An experiment's results: one row per run. Verbs return new dataframes.
---@class mpf.DataFrame
---@field rows table[] Each run: its variables, results, repetition, status (and error).
---@field columns string[] Variables then results.
---@field variables string[]
---@field results string[]
---@field units table<string, string> The base unit of each result that has one.
---@field labels table<string, table> The labels of each variable that has them: {value = label}.
---@field failed integer Runs that did not end ok.
---@field dir string? The experiment's directory.
---@field id string? The experiment's id.
---@field stopped string? Why the experiment stopped early (on_error = 'stop').
---@operator len: integer
local DataFrame = {}

---@param name string
---@return any[]
function DataFrame:column(name) end

---@param condition table|fun(row: table): boolean
---@return mpf.DataFrame
function DataFrame:filter(condition) end

---@param names string[]
---@return mpf.DataFrame
function DataFrame:select(names) end

---@param spec {[integer]: string, desc: boolean?}
---@return mpf.DataFrame
function DataFrame:sort(spec) end

---@param spec table<string, fun(row: table): any>
---@return mpf.DataFrame
function DataFrame:mutate(spec) end

---@param other mpf.DataFrame
---@return mpf.DataFrame
function DataFrame:concat(other) end

---@param spec {index: string, columns: string, values: string}
---@return mpf.DataFrame
function DataFrame:pivot(spec) end

---@class mpf.Grouped
local Grouped = {}

---@param spec table<string, string|string[]|fun(values: number[]): any>
---@return mpf.DataFrame
function Grouped:agg(spec) end

---@param keys string[]|string
---@return mpf.Grouped
function DataFrame:group_by(keys) end

---@param spec mpf.PlotOptions|string
---@return string? path The SVG's path (nil with term = true).
function DataFrame:plot(spec) end

---@param path string
function DataFrame:to_csv(path) end

---@param path string
function DataFrame:to_json(path) end

---@param path string
function DataFrame:to_yaml(path) end

mpf = {}

---mpf's version.
---@type string
mpf.version = ""

---The arguments after `--` on the command line.
---@type string[]
mpf.args = {}

---Declares a variable to explore: a list, mpf.range(...), a {value = label} map, mpf.values{...}
---or a function returning one; `when` makes it apply only where other variables hold some values.
---@param name string
---@param values any[]|table|fun(): table
---@param options {when: table<string, any>|fun(point: table<string, any>): boolean}?
function mpf.add_variable(name, values, options) end

---Numbers from first to last by step (default 1), rounded to the step's decimals.
---@param first number
---@param last number
---@param step number?
---@return number[]
function mpf.range(first, last, step) end

---Values with labels, in the order given: mpf.values{{value, label}, ...}.
---@param pairs {[1]: any, [2]: string|number}[]
---@return table
function mpf.values(pairs) end

---Registers a function for every run: mpf.run{role = 'client'}(function(ctx, var) ... end).
---@param options mpf.FunctionOptions
---@return fun(fn: function): function
function mpf.run(options) end

---The original mpf's space-filling variable: values, or a {min, max} range of 101 values.
---@param name string
---@param values any[]|{min: number, max: number}
function mpf.add_wsp_variable(name, values) end

---Leaves out the combinations for which fn returns true, before anything runs.
---@param fn fun(point: table<string, any>): boolean
function mpf.exclude(fn) end

---Binary search, per combination of the other variables, for the highest value of `var` whose run is ok;
---with low and high (and precision) it declares `var` itself.
---@param options {var: string, ok: fun(row: table): boolean, low: number?, high: number?, precision: number?}
function mpf.search(options) end

---Makes these declared variables (as many values each) move together instead of multiplying.
---@param ... string
function mpf.zip(...) end

---first, first*factor, ... while within last: mpf.geometric(64, 65536, 2).
---@param first number
---@param last number
---@param factor number
---@return number[]
function mpf.geometric(first, last, factor) end

---n values from first to last, evenly spaced on a log scale.
---@param first number
---@param last number
---@param n integer
---@return number[]
function mpf.logspace(first, last, n) end

---Software under test, copied to and built on the roles' machines before the init functions.
---@param options mpf.SoftwareOptions
function mpf.software(options) end

---Registers a function run once per experiment, before the first run.
---@param options mpf.FunctionOptions
---@return fun(fn: fun(ctx: mpf.Context)): function
function mpf.init(options) end

---Runs every point n_runs times, in a shuffled order; returns the results.
---@param options mpf.ExperimentOptions?
---@return mpf.DataFrame
function mpf.run_experiment(options) end

---A stored experiment's dataframe (a directory, or an id under mpf_experiments/).
---@param dir string
---@return mpf.DataFrame
function mpf.load(dir) end

---Runs fn(ctx) once on the controller before the experiment's workers start.
---@param fn fun(ctx: mpf.Context)
function mpf.before(fn) end

---Runs fn(df, ctx) once on the controller after the last run.
---@param fn fun(df: mpf.DataFrame, ctx: mpf.Context)
function mpf.after(fn) end

---A folder on the node whose files are brought back: 'run', 'fun' or 'exp'.
---@param scope ('run'|'fun'|'exp')?
---@return string
function mpf.md(scope) end

---A string quoted for the shell.
---@param text string
---@return string
function mpf.quote(text) end

---Sleeps (a function's timeout still ends it).
---@param seconds number
function mpf.sleep(seconds) end

---Waits until host:port accepts connections; false after timeout seconds.
---@param host string
---@param port integer
---@param timeout number?
---@return boolean
function mpf.wait_port(host, port, timeout) end

---Waits until a file exists; false after timeout seconds.
---@param path string
---@param timeout number?
---@return boolean
function mpf.wait_file(path, timeout) end

---A monotonic clock, in seconds.
---@return number
function mpf.now() end

---mpf repl: runs fn(ctx) (or a shell command) on a role's machine ('*': every role).
---@param role string
---@param what fun(ctx: mpf.Context): any|string
---@return any
function mpf.on(role, what) end

---Runs a shell command (sh -c) on this node; `$name` expands Lua names; a trailing `&` runs it
---in the background for the rest of the run.
---@param command string
---@return mpf.ExResult
function ex(command) end
