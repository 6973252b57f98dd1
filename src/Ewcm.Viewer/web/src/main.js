import "ol/ol.css"; console.log("hi");
