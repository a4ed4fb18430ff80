// The industrialisation map: circle markers per state and region, sized by value, on the shared
// no-tile basemap. Reads /api/stats/map/; every value keeps its sources (popup and table). Every name,
// source and note is data: it is set as text, never parsed as HTML.
(function () {
  const el = document.getElementById('stats-map');
  if (!el) return;
  const form = document.getElementById('map-form');
  const rows = document.getElementById('map-rows');
  const title = document.getElementById('map-title');
  const formula = document.getElementById('map-formula');
  const oppLink = document.getElementById('opportunity-link');
  let layer = null;
  const fmt = v => (Math.abs(v) >= 1e6 ? (v / 1e6).toLocaleString(undefined, {maximumFractionDigits: 1}) + ' mn'
                                        : v.toLocaleString(undefined, {maximumFractionDigits: 3}));
  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }
  function popup(p) {
    const box = window.coopnetLabel(p.name, `${fmt(p.value)} (${p.year})`);
    const small = document.createElement('small');
    p.sources.forEach((s, i) => {
      if (i) small.appendChild(document.createElement('br'));
      small.appendChild(document.createTextNode(String(s)));
    });
    box.appendChild(document.createElement('br'));
    box.appendChild(small);
    return box;
  }
  window.coopnetBasemap(el).then(map => {
    function load() {
      const params = new URLSearchParams(new FormData(form));
      for (const [k, v] of [...params.entries()]) if (!v) params.delete(k);
      history.replaceState(null, '', '?' + params.toString());
      el.dataset.loaded = '';
      fetch(el.dataset.api + '?' + params.toString()).then(r => r.json().then(body => ({ok: r.ok, body})))
        .then(({ok, body}) => {
          if (layer) layer.remove();
          layer = L.layerGroup().addTo(map);
          rows.replaceChildren();
          if (!ok) { title.textContent = body.detail || JSON.stringify(body); el.dataset.loaded = '1'; return; }
          title.textContent = body.title + (body.product ? ' — HS ' + body.product : '');
          formula.textContent = body.formula || '';
          const product = params.get('product');
          oppLink.replaceChildren();
          if (product) {
            const a = document.createElement('a');
            a.dataset.testid = 'to-opportunity';
            a.href = '/stats/opportunities/' + encodeURIComponent(product) + '/';
            a.textContent = `${oppLink.dataset.label || 'Import substitution for HS'} ${product} →`;
            oppLink.appendChild(a);
          }
          const max = Math.max(1e-9, ...body.points.map(p => Math.abs(p.value)));
          body.points.forEach(p => {
            const radius = 6 + 30 * Math.sqrt(Math.abs(p.value) / max);
            L.circleMarker([p.lat, p.lon], {radius, color: p.kind === 'region' ? '#b4531c' : '#1d4f91',
              fillOpacity: 0.45, weight: 1.5})
              .bindPopup(popup(p))
              .addTo(layer);
            const tr = document.createElement('tr');
            tr.append(cell(`${p.name} (${p.reporter})`), cell(String(p.year)), cell(fmt(p.value), 'text-end'),
                      cell(p.sources.join('; '), 'small text-muted'));
            rows.appendChild(tr);
          });
          if (!body.points.length) {
            const tr = document.createElement('tr');
            const td = cell(rows.dataset.empty || 'No values for this choice.', 'text-muted');
            td.colSpan = 4;
            tr.appendChild(td);
            rows.appendChild(tr);
          }
          el.dataset.loaded = '1';
        });
    }
    form.addEventListener('submit', e => { e.preventDefault(); load(); });
    const measure = document.getElementById('measure');
    document.getElementById('product').addEventListener('change', e => {
      // A product is a trade dimension: switch to a trade indicator when a series is selected.
      if (e.target.value && !['rca', 'import_dependence', 'third_country_share'].includes(measure.value)) measure.value = 'third_country_share';
      load();
    });
    measure.addEventListener('change', load);
    load();
  });
})();
