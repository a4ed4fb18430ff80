// A line per group of {group, x, y} points (json_script "chart-points") into #chart; at most 40 lines,
// a legend up to 15. The left margin for the axis labels is #chart's data-left.
(function () {
  const el = document.getElementById('chart');
  const pts = window.coopnetData('chart-points');
  if (!el || !pts || !window.Plotly) return;
  const groups = {};
  pts.forEach(p => {
    const g = groups[p.group] || (groups[p.group] = {x: [], y: [], name: String(p.group), mode: 'lines+markers', type: 'scatter'});
    g.x.push(p.x);
    g.y.push(p.y);
  });
  const traces = Object.values(groups).slice(0, 40);
  const left = parseInt(el.dataset.left || '50', 10);
  if (traces.length) {
    Plotly.newPlot(el, traces, {margin: {t: 10, l: left, r: 10, b: 30}, showlegend: traces.length <= 15},
                   {displaylogo: false, responsive: true});
  }
  el.dataset.ready = '1';
})();
