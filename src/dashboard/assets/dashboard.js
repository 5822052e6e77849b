// Draws the page's charts with uPlot. Each <figure data-chart="name"> gets the
// series of that name from the JSON block #chart-data; the table below each
// chart already holds the same data, so a page without JavaScript loses nothing.
// The instances are kept on window.tariffCharts (tests read their data).
(function () {
  'use strict';
  var block = document.getElementById('chart-data');
  var charts = {};
  window.tariffCharts = charts;
  if (!block || typeof uPlot === 'undefined') return;
  var specs = JSON.parse(block.textContent);
  var DAY = 86400;

  specs.forEach(function (spec) {
    var figure = document.querySelector('figure[data-chart="' + CSS.escape(spec.name) + '"]');
    if (!figure || spec.x.length === 0) return;
    var target = figure.querySelector('.chart');
    var y = spec.y.map(function (v) { return v === null ? null : Number(v); });
    var options = {
      width: chartWidth(target),
      height: 220,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true, range: xRange(spec.x) },
        y: {
          range: function (u, min, max) {
            if (min === null || max === null) return [0, 1];
            var pad = (max - min) * 0.1 || Math.abs(max) * 0.1 || 1;
            return [Math.max(0, min - pad), max + pad];
          },
        },
      },
      series: [
        { label: 'Time' },
        {
          label: spec.label,
          stroke: '#1f4e79',
          width: 2,
          paths: spec.step ? uPlot.paths.stepped({ align: 1 }) : undefined,
          points: { show: true, size: 7, fill: '#1f4e79' },
          value: function (u, v) { return v === null ? '—' : String(v); },
        },
      ],
      axes: [{}, { label: spec.unit, size: 70 }],
    };
    charts[spec.name] = new uPlot(options, [spec.x, y], target);
  });

  var resizing;
  window.addEventListener('resize', function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      Object.keys(charts).forEach(function (name) {
        var u = charts[name];
        u.setSize({ width: chartWidth(u.root.parentNode), height: 220 });
      });
    }, 150);
  });

  /** Exactly the data's time span (pages chart only prices that changed, so it has two points or more). */
  function xRange(x) {
    var lo = x[0];
    var hi = x[x.length - 1];
    return function () { return hi > lo ? [lo, hi] : [lo - DAY, hi + DAY]; };
  }

  function chartWidth(el) {
    return Math.max(280, Math.floor(el.getBoundingClientRect().width) || 600);
  }
})();
