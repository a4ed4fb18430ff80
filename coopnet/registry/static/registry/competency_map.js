// The competency map: circles per region (and per country for organisations without a region), from
// json_script "map-data"; code suggestions for the code box from the reference lookup (#id_code's
// data-lookup). Names are set as text.
(function () {
  const el = document.getElementById('competency-map');
  if (!el) return;
  const data = window.coopnetData('map-data');
  window.coopnetBasemap(el, {center: [52, 68], zoom: 3}).then(map => {
    if (!data) return;
    const max = Math.max(1, ...data.regions.map(r => r.count), ...data.countries.map(c => c.without_region));
    const radius = n => 5 + 25 * Math.sqrt(n / max);
    const markers = [];
    for (const r of data.regions) {
      markers.push(L.circleMarker([r.lat, r.lon], {radius: radius(r.count), color: '#0d6efd', fillOpacity: 0.5})
        .bindTooltip(window.coopnetLabel(`${r.name}: ${r.count}`)).addTo(map));
    }
    for (const c of data.countries) {
      if (c.without_region && c.lat !== null) {
        markers.push(L.circleMarker([c.lat, c.lon], {radius: radius(c.without_region), color: '#6c757d', dashArray: '3', fillOpacity: 0.3})
          .bindTooltip(window.coopnetLabel(`${c.name}: ${c.without_region}`)).addTo(map));
      }
    }
    if (markers.length) map.fitBounds(L.featureGroup(markers).getBounds().pad(0.3), {maxZoom: 6});
  });
  const codeInput = document.getElementById('id_code');
  const options = document.getElementById('code-options');
  if (!codeInput || !options) return;
  codeInput.addEventListener('input', () => {
    const q = codeInput.value.trim();
    if (q.length < 2) return;
    const params = new URLSearchParams({scheme: document.getElementById('id_scheme').value, q: q});
    fetch(`${codeInput.dataset.lookup}?${params}`).then(r => r.json()).then(d => {
      options.replaceChildren(...d.results.map(i => {
        const option = document.createElement('option');
        option.value = i.code;
        option.textContent = `${i.code} ${i.name}`;
        return option;
      }));
    });
  });
})();
