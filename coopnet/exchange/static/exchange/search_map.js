// The partner-search map: a marker per result with coordinates (json_script "map-points"); the tooltip
// is text (an organisation's name is data, never HTML).
(function () {
  const el = document.getElementById('results-map');
  if (!el) return;
  const points = window.coopnetData('map-points') || [];
  window.coopnetBasemap(el, {center: [50, 60], zoom: 3}).then(map => {
    const markers = points.map((p, i) => L.circleMarker([p.lat, p.lon], {radius: 8, color: '#0d6efd', fillOpacity: 0.6})
      .bindTooltip(window.coopnetLabel(`${i + 1}. ${p.name} (${p.score})`)).addTo(map));
    if (markers.length) map.fitBounds(L.featureGroup(markers).getBounds().pad(0.3), {maxZoom: 6});
  });
})();
