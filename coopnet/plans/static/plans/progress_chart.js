// The implementation rate of a plan over time (json_script "chart-data"), into #progress-chart; the trace's
// name is the element's data-label (translated by the page).
(function () {
  const data = window.coopnetData('chart-data');
  const el = document.getElementById('progress-chart');
  if (!window.Plotly || !el || !data) return;
  const t = data.timeline.filter(p => p.rate !== null);
  const traces = [{x: t.map(p => p.date), y: t.map(p => p.rate * 100), type: 'scatter', mode: 'lines+markers',
                   line: {shape: 'hv'}, name: el.dataset.label || ''}];
  Plotly.newPlot(el, traces, {margin: {l: 40, r: 10, t: 10, b: 40}, yaxis: {range: [0, 100], ticksuffix: '%'},
                              showlegend: false}, {displayModeBar: false, responsive: true});
  el.dataset.ready = '1';
})();
