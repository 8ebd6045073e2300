/* The places map: the loaded layers over the Denver city limits, drawn with Leaflet.
 *
 * Everything the map shows is also text on the page, and every lookup it starts is the
 * page's own search form (a point as "lat, lon"), so the answer is the server's. No tiles:
 * nothing is fetched from anywhere but this site. Layer colours come from the page's
 * stylesheet (.layer-colour--N), so the map and the key beside it cannot disagree.
 */
(function () {
  "use strict";

  var section = document.getElementById("map-section");
  var settings = document.getElementById("map-config");
  if (!section || !settings || !window.L) {
    return; // without the map, the form and the lists still answer everything
  }
  var config = JSON.parse(settings.textContent);
  var form = document.getElementById("places-search");
  var input = document.getElementById("q");
  var status = document.getElementById("map-status");
  var DENVER = [39.74, -104.95];

  section.hidden = false;
  var map = L.map("map", {
    attributionControl: false, // the credit lines are listed under the map, as text
    zoomSnap: 0.5,
    minZoom: 9,
    maxZoom: 19
  }).setView(config.point || DENVER, config.point ? 15 : 11);

  function colour(index) {
    var probe = document.createElement("span");
    probe.className = "layer-colour--" + index;
    document.body.appendChild(probe);
    var value = getComputedStyle(probe).color;
    probe.remove();
    return value;
  }

  function lookUp(lat, lon) {
    input.value = lat.toFixed(5) + ", " + lon.toFixed(5);
    form.submit();
  }

  // A shape's name shows on hover as an SVG <title>. Not a Leaflet tooltip: Chromium makes
  // every shape with a focus listener a Tab stop, and hundreds of parks would bury the
  // buttons after the map. Keyboard users get the same names as text from a lookup.
  function name(shape, properties) {
    var title = document.createElementNS("http://www.w3.org/2000/svg", "title");
    title.textContent = properties.name + (properties.address ? " — " + properties.address : "");
    shape.getElement().appendChild(title); // text, never HTML: names come from the data
  }

  // The city limits and named areas (neighbourhoods) lie under the places, so a tap on a
  // park or a hospital is never taken by the area around it.
  map.createPane("context").style.zIndex = 350;
  var STYLES = {
    boundary: function (shade) { return { color: shade, weight: 3, fill: false }; },
    area: function (shade) {
      return { color: shade, weight: 1, dashArray: "4 4", fillOpacity: 0 };
    },
    places: function (shade) { return { color: shade, weight: 1, fillOpacity: 0.3 }; }
  };

  // Area names (neighbourhoods) written on the map: with no tiles, they say where one is.
  // Plain text in a non-interactive marker that is no Tab stop; shown only when near enough.
  function labelArea(shape) {
    var text = document.createElement("span");
    text.textContent = shape.feature.properties.name;
    var icon = L.divIcon({ className: "area-label", html: text, iconSize: null });
    L.marker(shape.getCenter(), { icon: icon, pane: "context", interactive: false, keyboard: false })
      .addTo(map);
  }
  function showLabelsWhenNear() {
    map.getContainer().classList.toggle("places-map--far", map.getZoom() < 13);
  }
  map.on("zoomend", showLabelsWhenNear);
  showLabelsWhenNear();

  function draw(layer, data) {
    var shade = colour(layer.colour);
    var boundary = layer.role === "boundary";
    var drawn = L.geoJSON(data, {
      interactive: !boundary,
      pane: layer.role === "places" ? "overlayPane" : "context",
      style: STYLES[layer.role](shade),
      pointToLayer: function (feature, at) {
        return L.circleMarker(at, { radius: 6, color: shade, weight: 2, fillOpacity: 0.7 });
      },
      onEachFeature: function (feature, shape) {
        if (!boundary) {
          shape.on("add", function () { name(shape, feature.properties); });
        }
      }
    }).addTo(map);
    if (layer.role === "area") {
      drawn.eachLayer(labelArea);
    }
    if (boundary && !config.point) {
      map.fitBounds(drawn.getBounds());
    }
    section.dataset.drawn = String(Number(section.dataset.drawn || 0) + 1);
  }

  config.layers.forEach(function (layer) {
    fetch(layer.url)
      .then(function (response) {
        if (!response.ok) {
          throw new Error(layer.id + ": " + response.status);
        }
        return response.json();
      })
      .then(function (data) { draw(layer, data); })
      .catch(function () { status.textContent = section.dataset.failed; });
  });

  if (config.point) {
    var asked = { radius: 10, color: "#1b1b1b", weight: 3, fill: false, interactive: false };
    L.circleMarker(config.point, asked).addTo(map);
  }

  map.on("click", function (event) { lookUp(event.latlng.lat, event.latlng.lng); });
  document.getElementById("map-centre").addEventListener("click", function () {
    var centre = map.getCenter();
    lookUp(centre.lat, centre.lng);
  });

  var here = document.getElementById("map-here");
  if (navigator.geolocation && window.isSecureContext) {
    here.hidden = false;
    here.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(
        function (position) { lookUp(position.coords.latitude, position.coords.longitude); },
        function (error) { status.textContent = error.message; },
        { enableHighAccuracy: true, timeout: 15000 }
      );
    });
  }
})();
