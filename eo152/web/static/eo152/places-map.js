/* The places map: the loaded layers over the Denver city limits, drawn with Leaflet.
 *
 * Everything the map shows is also text on the page, and every lookup it starts is the
 * page's own search form (a point as "lat, lon"), so the answer is the server's. No tiles:
 * nothing is fetched from anywhere but this site; the streets of a street layer are drawn
 * with their names instead. Layer colours come from the page's stylesheet (.layer-colour--N),
 * so the map, its key and the list of layers cannot disagree.
 */
(function () {
  "use strict";

  var form = document.getElementById("places-search");
  var input = document.getElementById("q");
  if (!form || !input) {
    return;
  }

  function lookUp(lat, lon) {
    input.value = lat.toFixed(5) + ", " + lon.toFixed(5);
    form.submit();
  }

  // "Look up where I am", beside the search box: shown only where the browser can answer
  // (without JavaScript, or without a secure page, the button stays hidden, never broken).
  var here = document.getElementById("map-here");
  var hereStatus = document.getElementById("here-status");
  if (here && hereStatus && navigator.geolocation && window.isSecureContext) {
    here.hidden = false;
    here.addEventListener("click", function () {
      hereStatus.textContent = hereStatus.dataset.waiting;
      navigator.geolocation.getCurrentPosition(
        function (position) { lookUp(position.coords.latitude, position.coords.longitude); },
        function (error) {
          // The browser's own message is in the browser's language: say it in the page's.
          hereStatus.textContent = error.code === error.PERMISSION_DENIED
            ? hereStatus.dataset.refused : hereStatus.dataset.unavailable;
        },
        { enableHighAccuracy: true, timeout: 15000 }
      );
    });
  }

  var section = document.getElementById("map-section");
  var settings = document.getElementById("map-config");
  if (!section || !settings || !window.L) {
    return; // without the map, the form and the lists still answer everything
  }
  var config = JSON.parse(settings.textContent);
  var status = document.getElementById("map-status");
  // Denver's urban core: Civic Center and downtown, where the street layer is.
  var URBAN_CORE = [39.7420, -104.9905];
  // Names are written from these zooms on: neighbourhoods, then streets, then places (the
  // places around Civic Center are too many to name legibly any farther out).
  var AREAS_FROM_ZOOM = 13;
  var STREETS_FROM_ZOOM = 16;
  var PLACES_FROM_ZOOM = 17;

  section.hidden = false;
  var map = L.map("map", {
    attributionControl: false, // the credit lines are listed under the map, as text
    zoomSnap: 0.5,
    minZoom: 9,
    maxZoom: 19
  }).setView(config.point || URBAN_CORE, config.point ? 16 : 15);

  function colour(index) {
    var probe = document.createElement("span");
    probe.className = "layer-colour--" + index;
    document.body.appendChild(probe);
    var value = getComputedStyle(probe).color;
    probe.remove();
    return value;
  }

  // A shape's name shows on hover as an SVG <title>. Not a Leaflet tooltip: Chromium makes
  // every shape with a focus listener a Tab stop, and hundreds of parks would bury the
  // buttons after the map. Keyboard users get the same names as text from a lookup.
  function name(shape, properties) {
    var title = document.createElementNS("http://www.w3.org/2000/svg", "title");
    title.textContent = properties.name + (properties.address ? " — " + properties.address : "");
    shape.getElement().appendChild(title); // text, never HTML: names come from the data
  }

  // Names written on the map: plain text in a marker that is no Tab stop and takes no tap.
  function writeName(text, at, className, pane) {
    var span = document.createElement("span");
    span.textContent = text;
    var icon = L.divIcon({ className: className, html: span, iconSize: null });
    L.marker(at, { icon: icon, pane: pane, interactive: false, keyboard: false }).addTo(map);
  }

  // The city limits, named areas and streets lie under the places, so a tap on a park or a
  // hospital is never taken by what is around it.
  map.createPane("context").style.zIndex = 350;
  map.createPane("streets").style.zIndex = 380;
  map.createPane("names").style.zIndex = 450;
  map.getPane("names").style.pointerEvents = "none";
  var STYLES = {
    boundary: function (shade) { return { color: shade, weight: 3, fill: false }; },
    area: function (shade) {
      return { color: shade, weight: 1, dashArray: "4 4", fillOpacity: 0 };
    },
    street: function (shade) { return { color: shade, weight: 3, opacity: 0.6 }; },
    places: function (shade) { return { color: shade, weight: 1, fillOpacity: 0.3 }; }
  };
  var PANES = { boundary: "context", area: "context", street: "streets", places: "overlayPane" };

  function showNamesWhenNear() {
    var zoom = map.getZoom();
    var classes = map.getContainer().classList;
    classes.toggle("places-map--far", zoom < AREAS_FROM_ZOOM);
    classes.toggle("places-map--no-street-names", zoom < STREETS_FROM_ZOOM);
    classes.toggle("places-map--no-place-names", zoom < PLACES_FROM_ZOOM);
  }
  map.on("zoomend", showNamesWhenNear);
  showNamesWhenNear();

  function middle(shape) {
    var points = shape.getLatLngs();
    while (points.length && Array.isArray(points[0])) {
      points = points[0];
    }
    return points[Math.floor(points.length / 2)];
  }

  // A street is named once every few hundred metres, not on each of its pieces.
  function nameStreets(drawn) {
    var named = {};
    drawn.eachLayer(function (shape) {
      var text = shape.feature.properties.name;
      var at = middle(shape);
      var before = named[text] || [];
      var near = before.some(function (other) { return map.distance(other, at) < 300; });
      if (!near) {
        writeName(text, at, "street-label", "names");
        named[text] = before.concat([at]);
      }
    });
  }

  function draw(layer, data) {
    var shade = colour(layer.colour);
    var shown = layer.role === "places";
    var drawn = L.geoJSON(data, {
      interactive: shown || layer.role === "area",
      pane: PANES[layer.role],
      style: STYLES[layer.role](shade),
      pointToLayer: function (feature, at) {
        return L.circleMarker(at, { radius: 6, color: shade, weight: 2, fillOpacity: 0.7 });
      },
      onEachFeature: function (feature, shape) {
        if (shown || layer.role === "area") {
          shape.on("add", function () { name(shape, feature.properties); });
        }
      }
    }).addTo(map);
    drawn.eachLayer(function (shape) {
      if (layer.role === "area") {
        writeName(shape.feature.properties.name, shape.getCenter(), "area-label", "context");
      } else if (shown) {
        var at = shape.getCenter ? shape.getCenter() : shape.getLatLng();
        writeName(shape.feature.properties.name, at, "place-label", "names");
      }
    });
    if (layer.role === "street") {
      nameStreets(drawn);
    }
    section.dataset.drawn = String(Number(section.dataset.drawn || 0) + 1);
  }

  // The key: each layer's colour and name, in the page's language, on the map itself. It
  // folds away on a phone, where it would hide the map; the list under the map says the same.
  var key = L.control({ position: "topright" });
  key.onAdd = function () {
    var box = L.DomUtil.create("details", "map-key");
    box.open = window.matchMedia("(min-width: 40em)").matches;
    var title = L.DomUtil.create("summary", "map-key__title", box);
    title.textContent = section.dataset.key;
    var list = L.DomUtil.create("ul", "map-key__list", box);
    config.layers.forEach(function (layer) {
      var item = L.DomUtil.create("li", "", list);
      var swatch = L.DomUtil.create("span", "layer-swatch layer-swatch--" + layer.role +
        " layer-colour--" + layer.colour, item);
      swatch.setAttribute("aria-hidden", "true");
      item.appendChild(document.createTextNode(layer.name));
    });
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  key.addTo(map);

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
})();
