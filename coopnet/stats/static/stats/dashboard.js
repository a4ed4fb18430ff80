// The dashboard's two charts: joint ventures by year and the structure of mutual exports, from the
// json_script blocks "jv-data" and "structure-data".
(function () {
  if (!window.Plotly) return;
  const jv = window.coopnetData('jv-data') || [];
  const jvChart = document.getElementById('jv-chart');
  if (jvChart) {
    Plotly.newPlot(jvChart, [{x: jv.map(r => r.year), y: jv.map(r => r.value), type: 'scatter', mode: 'lines+markers',
                              name: jvChart.dataset.label || ''}],
                   {margin: {t: 10, l: 50, r: 10, b: 30}}, {displaylogo: false, responsive: true});
    jvChart.dataset.ready = '1';
  }
  const st = window.coopnetData('structure-data') || {};
  const structureChart = document.getElementById('structure-chart');
  if (structureChart) {
    const traces = Object.keys(st).map(k => ({type: 'bar', orientation: 'h', name: k, y: st[k].map(r => r.label),
                                              x: st[k].map(r => r.value)}));
    Plotly.newPlot(structureChart, traces, {margin: {t: 10, l: 260, r: 10, b: 30}, barmode: 'group',
                                            legend: {orientation: 'h'}}, {displaylogo: false, responsive: true});
    structureChart.dataset.ready = '1';
  }
})();
