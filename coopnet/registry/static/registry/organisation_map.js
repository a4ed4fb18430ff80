// An organisation's place on the map (#org-map's data-lat / data-lon).
(function () {
  const el = document.getElementById('org-map');
  if (!el) return;
  const lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
  window.coopnetBasemap(el, {center: [lat, lon], zoom: 5})
    .then(map => L.circleMarker([lat, lon], {radius: 8, color: '#0d6efd'}).addTo(map));
})();
