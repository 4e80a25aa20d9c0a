// The report page's own stylesheet and script (Chartist draws; this script only feeds it the chart
// specs, adds legends, value labels and data tables). Series differ by dash pattern and marker as
// well as colour (Okabe-Ito palette), so the charts read in greyscale; light and dark follow the
// reader's `prefers-color-scheme`.

const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
const DASHES = ['none', '10 4', '2 4', '12 4 2 4', '6 6', '1 3', '16 4', '4 2 4 8'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function seriesRules(): string {
  return LETTERS.split('')
    .map((l, i) => {
      const color = PALETTE[i % PALETTE.length] as string;
      const dash = DASHES[i % DASHES.length] as string;
      const cap = i % 2 === 0 ? 'round' : 'square';
      return [
        `.ct-series-${l} .ct-line, .legend .ct-series-${l} line { stroke: var(--s${i % PALETTE.length}, ${color}); stroke-dasharray: ${dash}; }`,
        `.ct-series-${l} .ct-point { stroke: var(--s${i % PALETTE.length}, ${color}); stroke-linecap: ${cap}; }`,
        `.ct-series-${l} .ct-bar { stroke: var(--s${i % PALETTE.length}, ${color}); stroke-dasharray: ${i === 0 ? 'none' : `${4 + (i % 4) * 2} 2`}; }`,
      ].join('\n');
    })
    .join('\n');
}

/** @internal */
export const REPORT_STYLE = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --grid: rgba(0,0,0,.18); --card: #f6f8fa; --worse: #a40e26; --better: #116329; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9da7b3; --grid: rgba(255,255,255,.2); --card: #161b22; --worse: #ff8182; --better: #7ee2a8;
    --s0: #56B4E9; --s6: #ffffff; }
}
body { background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1100px; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; }
.meta { color: var(--muted); margin: 0 0 8px; }
table { border-collapse: collapse; margin: 8px 0; } th, td { padding: 3px 10px; text-align: left; border-bottom: 1px solid var(--grid); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 16px; }
figure.chart { background: var(--card); border-radius: 6px; margin: 0; padding: 10px 12px; }
figcaption { font-weight: 600; } figcaption .axis { font-weight: 400; color: var(--muted); }
.ct-label { color: var(--muted); fill: var(--muted); font-size: 11px; }
.ct-grid { stroke: var(--grid); }
.ct-line { stroke-width: 2px; } .ct-point { stroke-width: 7px; } .ct-bar { stroke-width: 16px; }
.ct-value { fill: var(--fg); font-size: 10px; }
.legend { list-style: none; padding: 0; margin: 6px 0 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; }
.legend line { stroke-width: 3px; }
.v-worse .verdict { color: var(--worse); font-weight: 700; } .v-worse .verdict::before { content: "▼ "; }
.v-better .verdict { color: var(--better); font-weight: 700; } .v-better .verdict::before { content: "▲ "; }
.v-same .verdict::before { content: "= "; }
.differences, .warnings { border-left: 4px solid var(--worse); padding: 4px 10px; background: var(--card); }
details { margin: 6px 0; } summary { cursor: pointer; color: var(--muted); }
${seriesRules()}
`;

/** @internal Plain ES2017 for the page: reads the chart specs and draws them with Chartist. */
export const REPORT_CLIENT_SCRIPT = `(function () {
  'use strict';
  var LETTERS = ${JSON.stringify(LETTERS)};
  var specs = JSON.parse(document.getElementById('ecs-pulse-charts').textContent);
  function compact(v) {
    var a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(a % 1e9 === 0 ? 0 : 1) + 'G';
    if (a >= 1e6) return (v / 1e6).toFixed(a % 1e6 === 0 ? 0 : 1) + 'M';
    if (a >= 1e4) return (v / 1e3).toFixed(a % 1e3 === 0 ? 0 : 1) + 'k';
    return String(v);
  }
  function cell(tag, text) { var e = document.createElement(tag); e.textContent = text; return e; }
  specs.forEach(function (spec) {
    var fig = document.getElementById(spec.id);
    if (!fig) return;
    var plot = fig.querySelector('.plot');
    var opts = { height: '260px', fullWidth: true, low: 0, chartPadding: { top: 16, right: 24, bottom: 4, left: 8 },
      axisY: { offset: 48, labelInterpolationFnc: compact } };
    var chart;
    if (spec.type === 'line') {
      opts.axisX = { type: Chartist.AutoScaleAxis, onlyInteger: true, scaleMinSpace: 40 };
      opts.lineSmooth = false;
      chart = new Chartist.LineChart(plot, { series: spec.series.map(function (s) {
        return { name: s.name, data: s.points.map(function (p) { return { x: p[0], y: p[1] }; }) };
      }) }, opts);
    } else {
      opts.seriesBarDistance = 18;
      chart = new Chartist.BarChart(plot, { labels: spec.labels, series: spec.series.map(function (s) {
        return { name: s.name, data: s.values };
      }) }, opts);
      chart.on('draw', function (d) {
        // one series: its value on each bar; several: the legend's patterns and the data table say it
        if (d.type !== 'bar' || spec.series.length > 1) return;
        var v = d.value && typeof d.value === 'object' ? d.value.y : d.value;
        d.group.elem('text', { x: d.x2, y: d.y2 - 4, 'text-anchor': 'middle' }, 'ct-value').text(String(v));
      });
    }
    chart.on('created', function () {
      fig.setAttribute('data-rendered-points', String(plot.querySelectorAll('.ct-point, .ct-bar').length));
    });
    var legend = fig.querySelector('.legend');
    spec.series.forEach(function (s, i) {
      var li = document.createElement('li');
      li.className = 'ct-series-' + LETTERS[i % LETTERS.length];
      li.innerHTML = '<svg width="30" height="10" aria-hidden="true"><line x1="1" y1="5" x2="29" y2="5"></line></svg> ';
      li.appendChild(document.createTextNode(s.name));
      legend.appendChild(li);
    });
    var table = document.createElement('table');
    var head = document.createElement('tr');
    head.appendChild(cell('th', 'series'));
    head.appendChild(cell('th', spec.xLabel));
    head.appendChild(cell('th', spec.yLabel));
    table.appendChild(head);
    spec.series.forEach(function (s) {
      var rows = s.points ? s.points : s.values.map(function (v, i) { return [spec.labels[i], v]; });
      rows.forEach(function (p) {
        var tr = document.createElement('tr');
        tr.appendChild(cell('td', s.name));
        tr.appendChild(cell('td', String(p[0])));
        tr.appendChild(cell('td', String(p[1])));
        table.appendChild(tr);
      });
    });
    fig.querySelector('.data-table').appendChild(table);
  });
  document.documentElement.setAttribute('data-charts-drawn', String(specs.length));
})();
`;
