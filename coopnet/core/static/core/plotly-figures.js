// Plotly figures written by the server: each <div data-plotly id="NAME"> is drawn from the json_script
// block "NAME-data" holding {data, layout}. Labels in the figures are data, never code.
(function () {
  if (!window.Plotly) return;
  document.querySelectorAll('[data-plotly]').forEach(target => {
    const fig = window.coopnetData(`${target.id}-data`);
    if (!fig) return;
    Plotly.newPlot(target, fig.data, fig.layout, {displaylogo: false, responsive: true});
    target.dataset.ready = '1';
  });
})();
