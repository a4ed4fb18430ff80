// A Leaflet map of the Union with no tile server: country outlines from the vendored Natural Earth
// TopoJSON (world-atlas), member states shaded. Works with no internet.
(function () {
  const MEMBERS = {'051': 'AM', '112': 'BY', '398': 'KZ', '417': 'KG', '643': 'RU'};
  let outlines = null;
  function loadOutlines(url) {
    if (!outlines) {
      outlines = fetch(url).then(r => r.json()).then(topo => topojson.feature(topo, topo.objects.countries));
    }
    return outlines;
  }
  window.coopnetBasemap = function (el, opts) {
    opts = opts || {};
    const map = L.map(el, {worldCopyJump: false, minZoom: 2, maxZoom: 10, attributionControl: true})
      .setView(opts.center || [50, 65], opts.zoom || 3);
    map.attributionControl.addAttribution('Natural Earth');
    const url = el.dataset.outlines || '/static/vendor/world-atlas/countries-50m.json';
    return loadOutlines(url).then(geo => {
      L.geoJSON(geo, {
        interactive: false,
        style: f => {
          const member = MEMBERS[f.id] !== undefined;
          return {color: '#8894a8', weight: member ? 1.2 : 0.5, fillColor: member ? '#fff7e0' : '#f4f4f4',
                  fillOpacity: 1};
        },
      }).addTo(map);
      el.dataset.ready = '1';
      return map;
    });
  };
})();
