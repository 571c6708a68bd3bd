// report.html's explorer: choose x, y and series among the experiment's variables and results
// and redraw from the runs embedded in the page; hover a point to read its mean, interval and
// runs; click a legend entry to hide its series; filter the results tables. Plain JavaScript:
// nothing is loaded from anywhere (the page's Content-Security-Policy allows this script by its
// hash and nothing else).
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
    2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042];
  // Points drawn as dots (each can be hovered); more are drawn as lines only.
  var MARKED = 2000;
  var COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

  function t95(degrees) {
    if (degrees >= 1 && degrees <= T95.length) return T95[degrees - 1];
    return degrees <= 40 ? 2.021 : degrees <= 60 ? 2.0 : degrees <= 120 ? 1.98 : 1.96;
  }

  function element(name, attributes, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  var PREFIXES = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k'], [1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n']];

  // The SI prefix that shows `magnitude` of `unit` best ([factor, letter]); none without a unit.
  function prefixFor(magnitude, unit) {
    if (!unit || !(magnitude > 0)) return [1, ''];
    for (var i = 0; i < PREFIXES.length; i++) { if (magnitude >= PREFIXES[i][0]) return PREFIXES[i]; }
    return PREFIXES[PREFIXES.length - 1];
  }

  // A number as people read it: 4 significant digits, an SI prefix for large and small ones.
  function formatNumber(value, unit) {
    if (value === null || !isFinite(value)) return String(value);
    var chosen = prefixFor(Math.abs(value), unit);
    var text = Number((value / chosen[0]).toPrecision(4)).toString();
    return text + (unit ? ' ' + chosen[1] + unit : '');
  }

  // --- the data ---------------------------------------------------------------------------

  // A variable written as its numbers (many values, no labels) gets levels and codes here.
  function coded(column) {
    if (column.role !== 'variable' || column.levels) return column;
    var distinct = column.values.filter(function (v, i, all) { return v !== null; });
    distinct = Array.from(new Set(distinct)).sort(function (a, b) { return a - b; });
    var index = new Map(distinct.map(function (v, i) { return [v, i]; }));
    column.levels = distinct.map(function (v) { return { v: v, l: String(v) }; });
    column.codes = Int32Array.from(column.values, function (v) { return v === null ? -1 : index.get(v); });
    delete column.values;
    return column;
  }

  function Runs(data) {
    this.columns = data.columns.map(coded);
    this.count = data.rows;
    var status = this.column('status');
    var ok = status ? status.levels.map(function (level) { return level.v === 'ok'; }) : null;
    this.ok = [];
    for (var row = 0; row < this.count; row++) {
      if (!ok || ok[status.codes[row]]) this.ok.push(row);
    }
  }
  Runs.prototype.column = function (name) {
    for (var i = 0; i < this.columns.length; i++) { if (this.columns[i].name === name) return this.columns[i]; }
    return null;
  };
  Runs.prototype.named = function (role) {
    return this.columns.filter(function (column) { return column.role === role; });
  };
  // A variable is numeric when all its values are numbers: its axis is then a scale, else categories.
  Runs.prototype.isNumeric = function (column) {
    if (column.role === 'result') return true;
    if (column.numeric === undefined) {
      column.numeric = column.levels.every(function (level) { return typeof level.v === 'number'; });
    }
    return column.numeric;
  };
  // The key (a level index or a number) and the text of a row's value in `column`.
  Runs.prototype.key = function (column, row) {
    return column.role === 'result' ? column.values[row] : column.codes[row];
  };
  Runs.prototype.label = function (column, key) {
    if (column.role === 'result') return formatNumber(key, column.unit);
    return key < 0 ? '-' : column.levels[key].l;
  };
  Runs.prototype.position = function (column, key) {
    if (column.role === 'result') return key;
    return this.isNumeric(column) ? column.levels[key].v : key;
  };

  // Points of the chart: per series and x, the mean of y, its 95% interval and its runs.
  function aggregate(runs, x, y, series) {
    var groups = {};
    var order = [];
    runs.ok.forEach(function (row) {
      var value = y.values[row];
      var xKey = runs.key(x, row);
      if (value === null || !isFinite(value) || xKey === null || xKey < 0 && x.role !== 'result') return;
      var sKey = series ? runs.key(series, row) : 0;
      var id = sKey + '\u0000' + xKey;
      if (!groups[id]) { groups[id] = { series: sKey, x: xKey, values: [] }; order.push(id); }
      groups[id].values.push(value);
    });
    return order.map(function (id) {
      var group = groups[id];
      var n = group.values.length;
      var mean = group.values.reduce(function (a, b) { return a + b; }, 0) / n;
      var half = null;
      if (n > 1) {
        var squares = group.values.reduce(function (a, b) { return a + (b - mean) * (b - mean); }, 0);
        half = t95(n - 1) * Math.sqrt(squares / (n - 1)) / Math.sqrt(n);
      }
      return { series: group.series, x: group.x, mean: mean, half: half, n: n, values: group.values };
    });
  }

  // Round tick values covering [low, high].
  function ticks(low, high, count) {
    if (!(high > low)) { high = low + 1; }
    var step = Math.pow(10, Math.floor(Math.log10((high - low) / count)));
    var error = (high - low) / count / step;
    step *= error >= 7.5 ? 10 : error >= 3.5 ? 5 : error >= 1.5 ? 2 : 1;
    var out = [];
    for (var value = Math.ceil(low / step) * step; value <= high + step * 1e-9; value += step) out.push(Number(value.toPrecision(12)));
    return out;
  }

  // --- the chart --------------------------------------------------------------------------

  function Explorer(root, runs) {
    this.root = root;
    this.runs = runs;
    this.hidden = {};
    this.selects = {
      x: root.querySelector('select[name=x]'), y: root.querySelector('select[name=y]'), series: root.querySelector('select[name=series]'),
    };
    this.chart = root.querySelector('.explorer-chart');
    this.legend = root.querySelector('.explorer-legend');
    this.tip = root.querySelector('.explorer-tip');
    this.fill();
    var self = this;
    Object.keys(this.selects).forEach(function (key) {
      self.selects[key].addEventListener('change', function () { self.hidden = {}; self.draw(); });
    });
    this.draw();
  }

  Explorer.prototype.fill = function () {
    var runs = this.runs;
    var variables = runs.named('variable');
    var results = runs.named('result');
    function add(select, columns, chosen, none) {
      if (none) select.appendChild(new Option('none', ''));
      columns.forEach(function (column) { select.appendChild(new Option(column.name, column.name, false, column.name === chosen)); });
    }
    // The default view is the report's first graph's: the numeric variable with most values
    // across, the first result up, the next variable that varies as series.
    var across = variables.filter(function (v) { return runs.isNumeric(v); })
      .sort(function (a, b) { return b.levels.length - a.levels.length; })[0] || variables[0];
    var series = variables.filter(function (v) { return v !== across && v.levels.length > 1; })[0];
    add(this.selects.x, variables.concat(results), across && across.name, false);
    add(this.selects.y, results, results[0] && results[0].name, false);
    add(this.selects.series, variables, series && series.name, true);
    this.selects.series.value = series ? series.name : '';
  };

  Explorer.prototype.draw = function () {
    var runs = this.runs;
    var x = runs.column(this.selects.x.value);
    var y = runs.column(this.selects.y.value);
    var series = this.selects.series.value ? runs.column(this.selects.series.value) : null;
    if (series === x) series = null;
    this.chart.textContent = '';
    this.legend.textContent = '';
    if (!x || !y) { this.chart.textContent = 'Nothing to draw: no numeric result.'; return; }
    var points = aggregate(runs, x, y, series);
    var numeric = runs.isNumeric(x);
    var width = 760, height = 420, left = 72, right = 20, top = 16, bottom = 56;
    var svg = element('svg', { viewBox: '0 0 ' + width + ' ' + height, width: width, height: height, role: 'img' }, this.chart);
    var xs = points.map(function (p) { return runs.position(x, p.x); });
    var lows = points.map(function (p) { return p.mean - (p.half || 0); });
    var highs = points.map(function (p) { return p.mean + (p.half || 0); });
    var yLow = Math.min.apply(null, lows.concat([Infinity])), yHigh = Math.max.apply(null, highs.concat([-Infinity]));
    // A result that is never negative starts at 0.
    if (yLow >= 0) yLow = 0;
    var yTicks = ticks(yLow, yHigh, 6);
    yLow = Math.min(yLow, yTicks[0]); yHigh = Math.max(yHigh, yTicks[yTicks.length - 1]);
    var xLow, xHigh, xTicks;
    if (numeric) {
      xLow = Math.min.apply(null, xs); xHigh = Math.max.apply(null, xs);
      if (xLow === xHigh) { xLow -= 1; xHigh += 1; }
      // A variable of few values is marked at each of them; a margin keeps points off the axes.
      xTicks = x.role !== 'result' && x.levels.length <= 12 ? x.levels.map(function (level) { return level.v; }) : ticks(xLow, xHigh, 7);
      var margin = (xHigh - xLow) * 0.03;
      xLow -= margin; xHigh += margin;
    } else {
      xLow = -0.5; xHigh = x.levels.length - 0.5;
      xTicks = x.levels.map(function (_, index) { return index; });
    }
    function px(value) { return left + (value - xLow) / (xHigh - xLow) * (width - left - right); }
    function py(value) { return height - bottom - (value - yLow) / (yHigh - yLow || 1) * (height - top - bottom); }
    this.axes(svg, x, y, numeric, xTicks, yTicks, px, py, width, height, left, right, top, bottom);
    this.series(svg, runs, points, x, y, series, numeric, px, py);
    if (points.length > MARKED) this.nearest(svg, points, x, y, series, px, py);
  };

  // On a chart of many points, the point nearest the pointer (among the series shown) is read.
  Explorer.prototype.nearest = function (svg, points, x, y, series, px, py) {
    var self = this, runs = this.runs;
    var placed = points.map(function (p) { return { p: p, x: px(runs.position(x, p.x)), y: py(p.mean) }; });
    svg.addEventListener('mousemove', function (event) {
      var box = svg.getBoundingClientRect();
      var scale = svg.viewBox.baseVal.width / box.width;
      var mx = (event.clientX - box.left) * scale, my = (event.clientY - box.top) * scale;
      var best = null, distance = Infinity;
      placed.forEach(function (q) {
        if (self.hidden[q.p.series]) return;
        var d = (q.x - mx) * (q.x - mx) + (q.y - my) * (q.y - my);
        if (d < distance) { distance = d; best = q; }
      });
      if (best && distance < 400) self.tell(event, best.p, x, y, series); else self.tip.hidden = true;
    });
    svg.addEventListener('mouseleave', function () { self.tip.hidden = true; });
  };

  Explorer.prototype.axes = function (svg, x, y, numeric, xTicks, yTicks, px, py, width, height, left, right, top, bottom) {
    var runs = this.runs;
    var axes = element('g', { 'class': 'axes' }, svg);
    // Ticks in the unit with the prefix that suits the largest (0.025 s is 25 ms).
    var yScale = prefixFor(Math.max(Math.abs(yTicks[0]), Math.abs(yTicks[yTicks.length - 1])), y.unit);
    var xScale = numeric && x.role === 'result' ? prefixFor(Math.max(Math.abs(xTicks[0]), Math.abs(xTicks[xTicks.length - 1])), x.unit) : [1, ''];
    yTicks.forEach(function (value) {
      element('line', { x1: left, x2: width - right, y1: py(value), y2: py(value), 'class': 'grid' }, axes);
      element('text', { x: left - 6, y: py(value) + 4, 'text-anchor': 'end' }, axes).textContent = formatNumber(value / yScale[0], null);
    });
    var every = Math.max(1, Math.ceil(xTicks.length / 12));
    xTicks.forEach(function (value, index) {
      if (index % every) return;
      var text = numeric ? formatNumber(value / xScale[0], null) : runs.label(x, value);
      element('text', { x: px(value), y: height - bottom + 18, 'text-anchor': 'middle' }, axes).textContent = text;
    });
    element('line', { x1: left, x2: width - right, y1: height - bottom, y2: height - bottom, 'class': 'axis' }, axes);
    element('line', { x1: left, x2: left, y1: top, y2: height - bottom, 'class': 'axis' }, axes);
    element('text', { x: (left + width - right) / 2, y: height - 12, 'text-anchor': 'middle', 'class': 'title' }, axes).textContent =
      x.name + (x.unit ? ' (' + xScale[1] + x.unit + ')' : '');
    element('text', { x: 14, y: (top + height - bottom) / 2, 'text-anchor': 'middle', 'class': 'title',
      transform: 'rotate(-90 14 ' + (top + height - bottom) / 2 + ')' }, axes).textContent = y.name + (y.unit ? ' (' + yScale[1] + y.unit + ')' : '');
  };

  Explorer.prototype.series = function (svg, runs, points, x, y, series, numeric, px, py) {
    var self = this;
    var keys = [];
    points.forEach(function (p) { if (keys.indexOf(p.series) < 0) keys.push(p.series); });
    keys.sort(function (a, b) { return a - b; });
    keys.forEach(function (key, index) {
      var colour = COLOURS[index % COLOURS.length];
      var mine = points.filter(function (p) { return p.series === key; })
        .sort(function (a, b) { return runs.position(x, a.x) - runs.position(x, b.x); });
      var group = element('g', { 'class': 'series', 'data-series': String(key) }, svg);
      if (self.hidden[key]) group.setAttribute('visibility', 'hidden');
      if (numeric && x.role !== 'result' && mine.length > 1) {
        element('polyline', { points: mine.map(function (p) { return px(runs.position(x, p.x)) + ',' + py(p.mean); }).join(' '),
          fill: 'none', stroke: colour, 'stroke-width': 2 }, group);
      }
      // Beyond a few thousand points a dot each would only slow the page: the line alone, and
      // the nearest point is read under the pointer (see nearest).
      if (points.length <= MARKED) {
        mine.forEach(function (p) {
          var cx = px(runs.position(x, p.x));
          if (p.half !== null) {
            element('line', { x1: cx, x2: cx, y1: py(p.mean - p.half), y2: py(p.mean + p.half), stroke: colour, 'stroke-width': 1.5 }, group);
          }
          var dot = element('circle', { cx: cx, cy: py(p.mean), r: 4.5, fill: colour, 'class': 'point' }, group);
          dot.addEventListener('mouseover', function (event) { self.tell(event, p, x, y, series); });
          dot.addEventListener('mouseout', function () { self.tip.hidden = true; });
        });
      } else if (!numeric || x.role === 'result' || mine.length === 1) {
        // No line to show them: a small square each, all in one path (one element, fast).
        element('path', { d: mine.map(function (p) { return 'M' + (px(runs.position(x, p.x)) - 1) + ' ' + (py(p.mean) - 1) + 'h2v2h-2z'; }).join(''),
          fill: colour, 'class': 'dense' }, group);
      }
      if (series) self.legendEntry(key, runs.label(series, key), colour);
    });
  };

  Explorer.prototype.legendEntry = function (key, text, colour) {
    var self = this;
    var entry = document.createElement('button');
    entry.type = 'button';
    entry.setAttribute('data-series', String(key));
    entry.className = self.hidden[key] ? 'off' : '';
    var swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = colour;
    entry.appendChild(swatch);
    entry.appendChild(document.createTextNode(text));
    entry.addEventListener('click', function () {
      self.hidden[key] = !self.hidden[key];
      entry.className = self.hidden[key] ? 'off' : '';
      var group = self.chart.querySelector('g.series[data-series="' + key + '"]');
      if (group) group.setAttribute('visibility', self.hidden[key] ? 'hidden' : 'visible');
    });
    this.legend.appendChild(entry);
  };

  Explorer.prototype.tell = function (event, p, x, y, series) {
    var runs = this.runs;
    var lines = [x.name + ' = ' + runs.label(x, p.x)];
    if (series) lines.push(series.name + ' = ' + runs.label(series, p.series));
    lines.push(y.name + ': ' + formatNumber(p.mean, y.unit) + (p.half !== null ? ' ± ' + formatNumber(p.half, y.unit) : ''));
    lines.push('n = ' + p.n + ' runs: ' + p.values.slice(0, 8).map(function (v) { return formatNumber(v, null); }).join(', ') +
      (p.values.length > 8 ? ', …' : ''));
    this.tip.textContent = lines.join('\n');
    this.tip.hidden = false;
    var box = this.chart.getBoundingClientRect();
    this.tip.style.left = (event.clientX - box.left + 14) + 'px';
    this.tip.style.top = (event.clientY - box.top + 14) + 'px';
  };

  // --- the results tables' filter ---------------------------------------------------------

  function filterTables() {
    Array.prototype.forEach.call(document.querySelectorAll('input.table-filter'), function (input) {
      var table = document.getElementById(input.getAttribute('data-table'));
      if (!table) return;
      input.addEventListener('input', function () {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        Array.prototype.forEach.call(table.querySelectorAll('tr'), function (row, index) {
          if (index === 0) return;
          var text = row.textContent.toLowerCase();
          row.hidden = !words.every(function (word) { return text.indexOf(word) >= 0; });
        });
      });
    });
  }

  filterTables();
  var source = document.getElementById('mpf-runs');
  var root = document.getElementById('explorer');
  if (source && root) window.mpfExplorer = new Explorer(root, new Runs(JSON.parse(source.textContent)));
})();
