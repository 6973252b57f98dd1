// Colour-blind-safe ramps (ColorBrewer YlOrRd, YlGnBu; viridis) and fixed, published class breaks, so
// countries and years stay comparable.
import { Fill, Stroke, Style, Text } from 'ol/style.js';

export const YlOrRd = ['#FFFFB2', '#FECC5C', '#FD8D3C', '#F03B20', '#BD0026'];
// Uncovered people per cell: the darker part of ColorBrewer Purples, distinct from the YlOrRd choropleth below it.
export const Purples = ['#BCBDDC', '#9E9AC8', '#807DBA', '#6A51A3', '#4A1486'];
export const Viridis = ['#440154', '#3B528B', '#21908C', '#5DC863', '#FDE725'];
export const NoDataColour = '#BDBDBD';

/** Class breaks (lower bounds) per indicator kind. */
export const PercentBreaks = [0, 5, 10, 20, 50];
export const DensityBreaks = [0, 50, 100, 250, 1000];
export const UncoveredCellBreaks = [0.05, 1, 5, 10, 25];

/** Coverage colours per technology level (YlGnBu, darker for newer technology). */
export const CoverageColours = { '2G': [65, 182, 196], '3G': [44, 127, 184], '4G': [37, 52, 148], '5G': [8, 29, 88] };

export function classOf(value, breaks) {
  if (value === null || value === undefined || Number.isNaN(value)) return -1;
  let k = 0;
  for (let i = 0; i < breaks.length; i++) if (value >= breaks[i]) k = i;
  return k;
}

function hexToRgba(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

const choroplethCache = new Map();
/** The fill of a choropleth class (k = -1 for no data). */
export function choroplethStyle(k, ramp) {
  const key = `${k}|${ramp.join()}`;
  if (!choroplethCache.has(key)) {
    choroplethCache.set(key, new Style({
      fill: new Fill({ color: k < 0 ? hexToRgba(NoDataColour, 0.8) : hexToRgba(ramp[k], 0.85) }),
    }));
  }
  return choroplethCache.get(key);
}

// Unit outlines; the nearly transparent fill makes the whole unit clickable.
export const unitOutline = new Style({
  stroke: new Stroke({ color: 'rgba(60,60,60,0.55)', width: 0.6 }),
  fill: new Fill({ color: 'rgba(255,255,255,0.01)' }),
});
export const countryBoundary = new Style({ stroke: new Stroke({ color: '#333', width: 1.6 }) });
export const land = new Style({ fill: new Fill({ color: '#F4F1EA' }) });
export const selected = new Style({ stroke: new Stroke({ color: '#000', width: 3 }) });

const zoneFill = new Style({
  fill: new Fill({ color: 'rgba(189,0,38,0.30)' }),
  stroke: new Stroke({ color: '#BD0026', width: 1.5 }),
});

/** A zone: filled outline, and its rank once (on its largest part) when `labelled`. */
export function zoneStyle(feature, labelled) {
  if (!labelled) return zoneFill;
  return [zoneFill, new Style({
    geometry: labelPoint(feature),
    text: new Text({
      text: String(feature.get('rank')),
      font: 'bold 12px sans-serif',
      fill: new Fill({ color: '#000' }),
      stroke: new Stroke({ color: '#fff', width: 3 }),
      overflow: true,
    }),
  })];
}

function labelPoint(feature) {
  const geometry = feature.getGeometry();
  if (geometry.getType() === 'Polygon') return geometry.getInteriorPoint();
  if (geometry.getType() !== 'MultiPolygon') return geometry;
  const parts = geometry.getPolygons();
  let best = parts[0];
  for (const p of parts) if (p.getArea() > best.getArea()) best = p;
  return best.getInteriorPoint();
}

/** WebGL style of a coverage raster: bytes 0–250 (fraction × 250), transparent where nothing is covered. */
export function coverageRasterStyle(tech) {
  const [r, g, b] = CoverageColours[tech] ?? CoverageColours['4G'];
  return {
    color: ['case', ['>', ['band', 1], 0],
      ['interpolate', ['linear'], ['band', 1], 1, [r, g, b, 0.2], 250, [r, g, b, 0.75]],
      [0, 0, 0, 0]],
  };
}

/** WebGL style of the uncovered-population raster: Purples classes, transparent below the first break and on nodata. */
export function uncoveredRasterStyle() {
  const rgb = Purples.map((h) => {
    const n = parseInt(h.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 1];
  });
  const v = ['band', 1];
  return {
    color: ['case',
      ['<', v, UncoveredCellBreaks[0]], [0, 0, 0, 0],
      ['<', v, UncoveredCellBreaks[1]], rgb[0],
      ['<', v, UncoveredCellBreaks[2]], rgb[1],
      ['<', v, UncoveredCellBreaks[3]], rgb[2],
      ['<', v, UncoveredCellBreaks[4]], rgb[3],
      rgb[4]],
  };
}
