// The Ewcm viewer: one run at a time on an OpenLayers map, with the country's own boundaries as base
// map (no internet tiles), rasters read from Cloud Optimized GeoTIFFs by range requests, panels for
// the numbers, English and French.
import 'ol/ol.css';
import './viewer.css';
import OlMap from 'ol/Map.js';
import View from 'ol/View.js';
import WebGLTileLayer from 'ol/layer/WebGLTile.js';
import GeoTIFF from 'ol/source/GeoTIFF.js';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import GeoJSON from 'ol/format/GeoJSON.js';
import { ScaleLine, Zoom } from 'ol/control.js';
import { getArea } from 'ol/sphere.js';
import { transform, get as getProjection } from 'ol/proj.js';
import { parseCsv, num } from './csv.js';
import {
  t, setLanguage, language, levelName, dictionaries, formatCount, formatPercent, formatNumber, formatPercentRange, formatRange,
} from './i18n.js';
import * as S from './styles.js';

const state = {
  runs: [],
  run: null, // { id, summary, levels, zones, projection, cellMetres }
  levelIndex: 0,
  indicator: 'uncovered',
  visible: { choropleth: true, uncovered: true, zones: true, boundaries: true },
  selection: null, // { kind: 'admin' | 'zone', feature }
  loadToken: 0,
};

// ---------- page skeleton ----------

const app = document.getElementById('app');
app.innerHTML = `
<header>
  <div class="brand"><strong data-i18n="title"></strong><span data-i18n="subtitle"></span></div>
  <label class="runs"><span data-i18n="run"></span> <select id="run-picker"></select></label>
  <div class="lang" role="group">
    <button id="lang-en" type="button" lang="en">English</button>
    <button id="lang-fr" type="button" lang="fr">Français</button>
  </div>
</header>
<aside id="left">
  <section><h2 data-i18n="layers"></h2><div id="layers"></div></section>
  <section><h2 data-i18n="legend"></h2><div id="legend"></div></section>
</aside>
<main><div id="map"></div><div id="north" aria-hidden="true">▲<br><span data-i18n="north"></span></div><div id="message" hidden></div></main>
<aside id="right">
  <section id="selection-panel"><h2 data-i18n="selection"></h2><div id="info"></div></section>
  <section><h2 data-i18n="summary"></h2><div id="summary"></div></section>
  <section id="hazards-panel" hidden><h2 data-i18n="hazards"></h2><div id="hazards"></div></section>
  <section id="zones-panel" hidden><h2 data-i18n="blankZones"></h2><div id="zones"></div></section>
  <section><h2 data-i18n="credits"></h2><div id="credits"></div></section>
</aside>`;

const $ = (id) => document.getElementById(id);
const escapeHtml = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

// ---------- map ----------

const landLayer = new VectorLayer({ source: new VectorSource(), style: S.land, zIndex: 0 });
const choroplethLayer = new VectorLayer({ source: new VectorSource(), style: choroplethFeatureStyle, zIndex: 5 });
const outlineLayer = new VectorLayer({ source: choroplethLayer.getSource(), style: S.unitOutline, zIndex: 30 });
const boundaryLayer = new VectorLayer({ source: landLayer.getSource(), style: S.countryBoundary, zIndex: 40 });
const zonesLayer = new VectorLayer({ source: new VectorSource(), style: (f) => S.zoneStyle(f, Number(f.get('rank')) <= 20), zIndex: 50 });
const selectionLayer = new VectorLayer({ source: new VectorSource(), style: S.selected, zIndex: 60 });
let rasterLayers = {}; // name -> WebGLTileLayer

const map = new OlMap({
  target: 'map',
  controls: [new Zoom(), new ScaleLine({ units: 'metric' })],
  layers: [landLayer, choroplethLayer, outlineLayer, boundaryLayer, zonesLayer, selectionLayer],
  view: new View({ projection: 'EPSG:4326', center: [0, 0], zoom: 2 }),
});

map.on('singleclick', (event) => {
  let hit = null;
  map.forEachFeatureAtPixel(event.pixel, (feature, layer) => {
    if (!hit && layer === zonesLayer) hit = { kind: 'zone', feature };
    return false;
  }, { layerFilter: (l) => l === zonesLayer, hitTolerance: 2 });
  if (!hit) {
    map.forEachFeatureAtPixel(event.pixel, (feature) => {
      hit = hit ?? { kind: 'admin', feature };
      return true;
    }, { layerFilter: (l) => l === outlineLayer });
  }
  select(hit);
});

map.on('pointermove', (event) => {
  if (event.dragging) return;
  map.getTargetElement().style.cursor = map.hasFeatureAtPixel(event.pixel, { layerFilter: (l) => l === outlineLayer || l === zonesLayer }) ? 'pointer' : '';
});

function select(hit) {
  state.selection = hit;
  selectionLayer.getSource().clear();
  if (hit) selectionLayer.getSource().addFeature(hit.feature.clone());
  renderInfo();
}

// ---------- data ----------

async function fetchText(url, optional = false) {
  const response = await fetch(url);
  if (!response.ok) {
    if (optional && response.status === 404) return null;
    throw new Error(t('loadError', { file: url.split('/').pop(), error: `HTTP ${response.status}` }));
  }
  return response.text();
}

async function fetchJson(url, optional = false) {
  const text = await fetchText(url, optional);
  return text === null ? null : JSON.parse(text);
}

function epsgOf(summary) {
  const m = /EPSG:(\d+)/.exec(summary?.grid?.crs ?? '');
  return m ? `EPSG:${m[1]}` : null;
}

async function loadRun(id) {
  const token = ++state.loadToken;
  document.body.dataset.ready = '';
  showMessage(t('loading'));
  const base = `runs/${encodeURIComponent(id)}/`;
  const summary = await fetchJson(`${base}summary.json`);
  const projectionCode = epsgOf(summary);
  const projection = projectionCode && getProjection(projectionCode) ? projectionCode : null;
  const dataProjection = projection ?? 'EPSG:4326';
  // Tables of every level now; boundaries only of the levels drawn at first (the finer ones on demand).
  const levels = await Promise.all((summary.admin_levels ?? []).map(async (lv) => {
    const rows = new Map(parseCsv(await fetchText(base + lv.file)).map((r) => [r.admin_id, r]));
    return { ...lv, rows, unitsFile: lv.file.replace('admin_stats', 'admin_units').replace(/\.csv$/, '.geojson'), features: null };
  }));
  const firstLevel = levels.length >= 3 ? 1 : Math.max(0, levels.length - 1);
  await Promise.all([0, firstLevel].filter((i) => levels[i]).map((i) => loadUnits(base, levels[i], dataProjection)));
  const [zonesGeo, runLog] = await Promise.all([fetchJson(`${base}blank_zones.geojson`, true), fetchJson(`${base}run_log.json`, true)]);
  const zones = zonesGeo
    ? new GeoJSON().readFeatures(zonesGeo, { dataProjection: 'EPSG:4326', featureProjection: dataProjection })
      .sort((a, b) => Number(a.get('rank')) - Number(b.get('rank')))
    : null;
  if (token !== state.loadToken) return;

  const gt = summary.grid?.geotransform ?? [0, 0];
  const geographic = /4326|WGS 84/.test(summary.grid?.crs ?? '');
  state.run = {
    id, base, summary, levels, zones, runDate: runLog?.started_utc ?? null, projection: dataProjection, rasterProjectionKnown: projection !== null,
    cellMetres: Math.abs(gt[1]) * (geographic ? 111320 * Math.cos(((summary.grid?.geotransform?.[3] ?? 0) * Math.PI) / 180) : 1),
  };
  // Default choropleth level: the second one when there are three or more (not too coarse, not too fine).
  state.levelIndex = firstLevel;
  state.selection = null;
  state.indicator = 'uncovered';
  buildLayers();
  renderAll();
  hideMessage();
  map.once('rendercomplete', () => {
    if (token === state.loadToken) {
      document.body.dataset.readyMs = String(Math.round(performance.now()));
      document.body.dataset.ready = id;
    }
  });
  map.render();
}

async function loadUnits(base, level, dataProjection) {
  if (level.features) return;
  const geo = await fetchJson(base + level.unitsFile, true);
  const features = geo ? new GeoJSON().readFeatures(geo, { dataProjection, featureProjection: dataProjection }) : [];
  for (const f of features) {
    f.set('level', level.level);
    f.set('area_km2', getArea(f.getGeometry(), { projection: dataProjection }) / 1e6);
  }
  level.features = features;
}

function buildLayers() {
  const run = state.run;
  map.setView(new View({ projection: run.projection, center: [0, 0], zoom: 2 }));
  for (const layer of Object.values(rasterLayers)) map.removeLayer(layer);
  rasterLayers = {};
  selectionLayer.getSource().clear();

  const coarsest = run.levels[0];
  landLayer.getSource().clear();
  landLayer.getSource().addFeatures(coarsest?.features ? coarsest.features.map((f) => f.clone()) : []);
  setChoroplethLevel(state.levelIndex);

  zonesLayer.getSource().clear();
  if (run.zones) zonesLayer.getSource().addFeatures(run.zones);

  const rasters = new Set(run.summary.rasters ?? []);
  if (run.rasterProjectionKnown) {
    const add = (name, file, style, z) => {
      if (!rasters.has(file)) return;
      const source = new GeoTIFF({
        sources: [{ url: run.base + file }], normalize: false, interpolate: false, wrapX: false, projection: run.projection,
      });
      source.on('change', () => {
        if (source.getState() === 'error') showMessage(t('loadError', { file, error: source.getError()?.message ?? '' }));
      });
      const layer = new WebGLTileLayer({ source, style, zIndex: z, visible: state.visible[name] ?? false });
      rasterLayers[name] = layer;
      map.addLayer(layer);
    };
    for (const [i, tech] of technologies().entries()) {
      add(`coverage_${tech}`, `coverage_${tech.toLowerCase()}.tif`, S.coverageRasterStyle(tech), 10 + i);
    }
    add('uncovered', 'uncovered_population.tif', S.uncoveredRasterStyle(), 20);
  } else if (rasters.size > 0) {
    showMessage(t('unsupportedCrs', { crs: run.summary.grid?.crs ?? '?' }));
  }

  const extent = landLayer.getSource().getExtent();
  if (extent && Number.isFinite(extent[0])) map.getView().fit(extent, { padding: [20, 20, 20, 20] });
  applyVisibility();
}

function technologies() {
  return (state.run?.summary?.national?.levels ?? []).map((l) => l.technology.replace(/^at least /, ''));
}

function setChoroplethLevel(index) {
  state.levelIndex = index;
  const level = state.run.levels[index];
  choroplethLayer.getSource().clear();
  if (level?.features) choroplethLayer.getSource().addFeatures(level.features);
  if (state.selection?.kind === 'admin') select(null);
}

function hazards() {
  return state.run?.summary?.hazards ?? [];
}

// ---------- choropleth ----------

function indicatorDefinitions() {
  const defs = [
    { id: 'uncovered', label: t('indUncovered'), unit: t('legendPercentUnit'), breaks: S.PercentBreaks, ramp: S.YlOrRd, percent: true,
      value: (row) => (num(row, 'pop_total') > 0 ? (100 * num(row, 'pop_uncovered')) / num(row, 'pop_total') : NaN) },
  ];
  const level = state.run?.levels[state.levelIndex];
  const sample = level ? level.rows.values().next().value : null;
  if (sample && 'pop_4g' in sample) {
    defs.push({ id: 'not4g', label: t('indNot4g'), unit: t('legendPercentUnit'), breaks: S.PercentBreaks, ramp: S.YlOrRd, percent: true,
      value: (row) => (num(row, 'pop_total') > 0 ? (100 * (num(row, 'pop_total') - num(row, 'pop_4g'))) / num(row, 'pop_total') : NaN) });
  }
  defs.push({ id: 'density', label: t('indDensity'), unit: t('legendDensityUnit'), breaks: S.DensityBreaks, ramp: S.Viridis, percent: false,
    value: (row, feature) => (feature.get('area_km2') > 0 ? num(row, 'pop_total') / feature.get('area_km2') : NaN) });
  for (const h of hazards()) {
    const column = `pop_exposed_uncovered_${h.name}`;
    if (sample && column in sample) {
      defs.push({ id: `hazard:${h.name}`, label: t('indHazard', { hazard: h.label ?? h.name }), unit: t('legendPercentUnit'), breaks: S.PercentBreaks, ramp: S.YlOrRd, percent: true,
        value: (row) => (num(row, 'pop_total') > 0 ? (100 * num(row, column)) / num(row, 'pop_total') : NaN) });
    }
  }
  return defs;
}

function currentIndicator() {
  const defs = indicatorDefinitions();
  return defs.find((d) => d.id === state.indicator) ?? defs[0];
}

function choroplethFeatureStyle(feature) {
  const level = state.run?.levels[state.levelIndex];
  const ind = currentIndicator();
  const row = level?.rows.get(feature.get('admin_id'));
  const value = row ? ind.value(row, feature) : NaN;
  return S.choroplethStyle(S.classOf(value, ind.breaks), ind.ramp);
}

// ---------- panels ----------

function renderAll() {
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  document.title = state.run ? `Ewcm — ${state.run.summary.name}` : 'Ewcm';
  $('lang-en').setAttribute('aria-pressed', String(language() === 'en'));
  $('lang-fr').setAttribute('aria-pressed', String(language() === 'fr'));
  renderRunPicker();
  if (!state.run) return;
  renderLayerPanel();
  renderLegend();
  renderInfo();
  renderSummary();
  renderHazards();
  renderZones();
  renderCredits();
  choroplethLayer.changed();
}

function renderRunPicker() {
  const picker = $('run-picker');
  picker.innerHTML = state.runs.map((r) => `<option value="${escapeHtml(r.id)}">${escapeHtml(r.name)}${r.iso3 ? ` (${escapeHtml(r.iso3)})` : ''}${r.folder !== r.iso3 ? ` — ${escapeHtml(r.folder)}` : ''}</option>`).join('');
  if (state.run) picker.value = state.run.id;
}

function checkbox(name, label, enabled = true) {
  return `<label class="layer"><input type="checkbox" id="layer-${name}" data-layer="${name}" ${state.visible[name] ? 'checked' : ''} ${enabled ? '' : 'disabled'}> ${escapeHtml(label)}</label>`;
}

function renderLayerPanel() {
  const run = state.run;
  const parts = [];
  const levels = run.levels.map((l, i) => `<option value="${i}" ${i === state.levelIndex ? 'selected' : ''}>${escapeHtml(levelName(l.level))}</option>`).join('');
  const indicators = indicatorDefinitions().map((d) => `<option value="${escapeHtml(d.id)}" ${d.id === currentIndicator().id ? 'selected' : ''}>${escapeHtml(d.label)}</option>`).join('');
  parts.push(checkbox('choropleth', t('layerChoropleth')));
  parts.push(`<div class="sub"><label>${escapeHtml(t('adminLevel'))} <select id="admin-level">${levels}</select></label>
    <label>${escapeHtml(t('indicator'))} <select id="indicator">${indicators}</select></label></div>`);
  if (rasterLayers.uncovered) parts.push(checkbox('uncovered', t('layerUncovered')));
  for (const tech of technologies()) {
    if (rasterLayers[`coverage_${tech}`]) parts.push(checkbox(`coverage_${tech}`, t('layerCoverage', { tech })));
  }
  if (run.zones) parts.push(checkbox('zones', t('layerZones')));
  parts.push(checkbox('boundaries', t('layerBoundaries')));
  $('layers').innerHTML = parts.join('');
  for (const input of $('layers').querySelectorAll('input[data-layer]')) {
    input.addEventListener('change', () => {
      state.visible[input.dataset.layer] = input.checked;
      applyVisibility();
      renderLegend();
    });
  }
  $('admin-level').addEventListener('change', async (e) => {
    const index = Number(e.target.value);
    const run = state.run;
    try {
      await loadUnits(run.base, run.levels[index], run.projection);
    } catch (err) {
      showMessage(err.message);
    }
    if (run !== state.run) return;
    setChoroplethLevel(index);
    renderLayerPanel();
    renderLegend();
    choroplethLayer.changed();
  });
  $('indicator').addEventListener('change', (e) => {
    state.indicator = e.target.value;
    renderLegend();
    choroplethLayer.changed();
  });
}

function applyVisibility() {
  choroplethLayer.setVisible(!!state.visible.choropleth);
  zonesLayer.setVisible(!!state.visible.zones && !!state.run?.zones);
  boundaryLayer.setVisible(!!state.visible.boundaries);
  for (const [name, layer] of Object.entries(rasterLayers)) layer.setVisible(!!state.visible[name]);
}

function legendClasses(breaks, ramp, percent, digits = 0) {
  return breaks.map((b, i) => {
    const label = percent ? formatPercentRange(b, breaks[i + 1]) : formatRange(b, breaks[i + 1], digits);
    return `<li><span class="swatch" style="background:${ramp[i]}"></span>${escapeHtml(label)}</li>`;
  }).join('');
}

function renderLegend() {
  const run = state.run;
  const blocks = [];
  if (state.visible.choropleth) {
    const ind = currentIndicator();
    const level = run.levels[state.levelIndex];
    blocks.push(`<div class="legend-block" id="legend-choropleth"><h3>${escapeHtml(ind.label)} — ${escapeHtml(level ? levelName(level.level) : '')}</h3>
      <p class="unit">${escapeHtml(ind.unit)}</p><ul>${legendClasses(ind.breaks, ind.ramp, ind.percent)}
      <li><span class="swatch" style="background:${S.NoDataColour}"></span>${escapeHtml(t('noData'))}</li></ul></div>`);
  }
  if (state.visible.uncovered && rasterLayers.uncovered) {
    blocks.push(`<div class="legend-block" id="legend-uncovered"><h3>${escapeHtml(t('layerUncovered'))}</h3>
      <p class="unit">${escapeHtml(t('legendUncoveredUnit', { size: formatCount(run.cellMetres) }))}</p>
      <ul>${legendClasses(S.UncoveredCellBreaks, S.Purples, false, 2)}</ul></div>`);
  }
  for (const tech of technologies()) {
    const name = `coverage_${tech}`;
    if (state.visible[name] && rasterLayers[name]) {
      const [r, g, b] = S.CoverageColours[tech] ?? S.CoverageColours['4G'];
      blocks.push(`<div class="legend-block" id="legend-${name}"><h3>${escapeHtml(t('layerCoverage', { tech }))}</h3>
        <p class="unit">${escapeHtml(t('legendCoverageUnit'))}</p>
        <div class="ramp" style="background:linear-gradient(to right, rgba(${r},${g},${b},0.2), rgba(${r},${g},${b},0.75))"></div>
        <div class="ramp-labels"><span>${escapeHtml(formatPercent(0.4))}</span><span>${escapeHtml(formatPercent(100))}</span></div></div>`);
    }
  }
  if (state.visible.zones && run.zones) {
    blocks.push(`<div class="legend-block" id="legend-zones"><ul><li><span class="swatch zone"></span>${escapeHtml(t('legendZones'))}</li></ul></div>`);
  }
  if (state.visible.boundaries) {
    blocks.push(`<div class="legend-block" id="legend-boundaries"><ul><li><span class="swatch line"></span>${escapeHtml(t('layerBoundaries'))}</li></ul></div>`);
  }
  $('legend').innerHTML = blocks.join('');
}

function infoRow(key, label, value) {
  return `<tr data-key="${escapeHtml(key)}"><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;
}

function renderInfo() {
  const sel = state.selection;
  const info = $('info');
  if (!sel || !state.run) {
    info.innerHTML = `<p class="hint">${escapeHtml(t('clickHint'))}</p>`;
    info.dataset.kind = '';
    return;
  }
  const f = sel.feature;
  if (sel.kind === 'zone') {
    const rows = [
      infoRow('rank', t('rank'), formatCount(Number(f.get('rank')))),
      infoRow('people', t('people'), formatCount(Number(f.get('people')))),
      infoRow('area_km2', t('area'), formatNumber(Number(f.get('area_km2')), 1)),
      infoRow('admin_names', t('adminNames'), f.get('admin_names') ?? ''),
      infoRow('nearest_place', t('nearestPlace'), f.get('nearest_place') ? `${f.get('nearest_place')} (${formatNumber(Number(f.get('nearest_place_km')), 1)} ${t('km')})` : t('noData')),
      infoRow('distance_to_2g_km', t('distanceTo2g'), formatNumber(Number(f.get('distance_to_2g_km')), 1)),
    ];
    if (f.get('priority') !== undefined && f.get('priority') !== null) {
      const p = f.get('priority');
      rows.push(infoRow('priority', t('priority'), typeof p === 'number' ? formatNumber(p, 2) : String(p)));
    }
    for (const h of hazards()) {
      const v = f.get(`people_exposed_${h.name}`);
      if (v !== undefined) rows.push(infoRow(`people_exposed_${h.name}`, `${t('exposed')} — ${h.label ?? h.name}`, formatCount(Number(v))));
    }
    info.innerHTML = `<h3>${escapeHtml(t('blankZone'))} ${escapeHtml(formatCount(Number(f.get('rank'))))}</h3><table>${rows.join('')}</table>`;
    info.dataset.kind = 'zone';
    info.dataset.id = String(f.get('zone_id') ?? '');
    return;
  }
  const level = state.run.levels.find((l) => l.level === f.get('level'));
  const row = level?.rows.get(f.get('admin_id'));
  const rows = [
    infoRow('admin_id', t('pcode'), f.get('admin_id')),
    infoRow('pop_total', t('population'), formatCount(num(row, 'pop_total'))),
    infoRow('pop_uncovered', t('uncoveredPopulation'), formatCount(num(row, 'pop_uncovered'))),
    infoRow('pct_uncovered', t('shareUncovered'), formatPercent(num(row, 'pop_total') > 0 ? (100 * num(row, 'pop_uncovered')) / num(row, 'pop_total') : NaN)),
  ];
  for (const tech of technologies()) {
    const s = tech.toLowerCase();
    rows.push(infoRow(`pop_${s}`, `${t('coveredPopulation')} — ${t('atLeast', { tech })}`, `${formatCount(num(row, `pop_${s}`))} (${formatPercent(num(row, `pct_${s}`))})`));
    if (row && `sdg9c1_${s}` in row) {
      rows.push(infoRow(`sdg9c1_${s}`, `${t('sdg')} — ${tech}`, `${formatCount(num(row, `sdg9c1_${s}`))} (${formatPercent(num(row, `sdg9c1_pct_${s}`))}, ${row[`sdg9c1_operator_${s}`] ?? ''})`));
    }
  }
  rows.push(infoRow('density', t('indDensity'), `${formatNumber(num(row, 'pop_total') / f.get('area_km2'), 1)} ${t('legendDensityUnit')}`));
  for (const h of hazards()) {
    if (row && `pop_exposed_${h.name}` in row) {
      rows.push(infoRow(`pop_exposed_${h.name}`, `${t('exposed')} — ${h.label ?? h.name}`, formatCount(num(row, `pop_exposed_${h.name}`))));
      rows.push(infoRow(`pop_exposed_uncovered_${h.name}`, `${t('exposedUnreachable')} — ${h.label ?? h.name}`, formatCount(num(row, `pop_exposed_uncovered_${h.name}`))));
    }
  }
  info.innerHTML = `<h3>${escapeHtml(f.get('name') || f.get('admin_id'))}</h3><p class="unit">${escapeHtml(t('adminUnit'))} — ${escapeHtml(levelName(f.get('level')))}</p><table>${rows.join('')}</table>`;
  info.dataset.kind = 'admin';
  info.dataset.id = String(f.get('admin_id'));
}

function renderSummary() {
  const s = state.run.summary;
  const n = s.national ?? {};
  const levelRows = (n.levels ?? []).map((l) => {
    const tech = l.technology.replace(/^at least /, '');
    return `<tr data-key="${escapeHtml(tech)}"><th>${escapeHtml(t('atLeast', { tech }))}</th><td>${escapeHtml(formatCount(l.covered))}</td><td>${escapeHtml(formatPercent(l.pct_covered))}</td>
      <td>${escapeHtml(formatPercent(l.sdg9c1_pct))} <small>${escapeHtml(l.sdg9c1_operator ?? '')}</small></td></tr>`;
  }).join('');
  const outside = (s.admin_levels ?? [])[0]?.population_outside_units;
  $('summary').innerHTML = `<h3>${escapeHtml(s.name)} (${escapeHtml(s.iso3)})</h3>
    <table class="figures">
      <tr data-key="population"><th>${escapeHtml(t('population'))}</th><td colspan="3">${escapeHtml(formatCount(n.population))}</td></tr>
      <tr data-key="uncovered"><th>${escapeHtml(t('uncoveredPopulation'))}</th><td>${escapeHtml(formatCount(n.uncovered))}</td><td colspan="2">${escapeHtml(formatPercent(n.pct_uncovered))}</td></tr>
    </table>
    <table class="levels"><thead><tr><th>${escapeHtml(t('level'))}</th><th colspan="2">${escapeHtml(t('union'))}</th><th>${escapeHtml(t('bestOperator'))}</th></tr></thead><tbody>${levelRows}</tbody></table>
    ${outside > 0 ? `<p class="unit">${escapeHtml(t('outsideUnits', { n: formatCount(outside) }))}</p>` : ''}`;
}

function renderHazards() {
  const list = hazards();
  $('hazards-panel').hidden = list.length === 0;
  $('hazards').innerHTML = list.length === 0 ? '' : `<table><thead><tr><th>${escapeHtml(t('hazard'))}</th><th>${escapeHtml(t('exposed'))}</th><th>${escapeHtml(t('exposedUnreachable'))}</th></tr></thead><tbody>
    ${list.map((h) => `<tr data-key="${escapeHtml(h.name)}"><th>${escapeHtml(h.label ?? h.name)}</th><td>${escapeHtml(formatCount(h.people_exposed))}</td><td>${escapeHtml(formatCount(h.people_exposed_uncovered))}</td></tr>`).join('')}</tbody></table>`;
}

const MaxZoneRows = 50;

function renderZones() {
  const zones = state.run.zones;
  $('zones-panel').hidden = !zones;
  if (!zones) {
    $('zones').innerHTML = '';
    return;
  }
  const bz = state.run.summary.blank_zones;
  const shown = zones.slice(0, MaxZoneRows);
  $('zones').innerHTML = `${bz ? `<p>${escapeHtml(t('zonesTotal', { zones: formatCount(bz.zones), people: formatCount(bz.people_in_zones) }))}</p>` : ''}
    ${bz?.scattered ? `<p class="unit">${escapeHtml(t('zonesScattered', { zones: formatCount(bz.scattered.zones), people: formatCount(bz.scattered.people) }))}</p>` : ''}
    <p class="unit">${escapeHtml(t('zoomHint'))}${zones.length > MaxZoneRows ? ` ${escapeHtml(t('zonesShown', { shown: MaxZoneRows, total: formatCount(zones.length) }))}` : ''}</p>
    <table class="zones"><thead><tr><th>${escapeHtml(t('rank'))}</th><th>${escapeHtml(t('people'))}</th><th>${escapeHtml(t('adminNames'))}</th><th>${escapeHtml(t('nearestPlace'))}</th></tr></thead><tbody>
    ${shown.map((f, i) => `<tr data-zone-index="${i}" data-zone-id="${escapeHtml(f.get('zone_id'))}" tabindex="0"><td>${escapeHtml(formatCount(Number(f.get('rank'))))}</td><td>${escapeHtml(formatCount(Number(f.get('people'))))}</td>
      <td>${escapeHtml(f.get('admin_names') ?? '')}</td><td>${escapeHtml(f.get('nearest_place') ?? '')}</td></tr>`).join('')}</tbody></table>`;
  for (const tr of $('zones').querySelectorAll('tr[data-zone-index]')) {
    const go = () => zoomToZone(shown[Number(tr.dataset.zoneIndex)]);
    tr.addEventListener('click', go);
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') go(); });
  }
}

function zoomToZone(feature) {
  if (!state.visible.zones) {
    state.visible.zones = true;
    applyVisibility();
    renderLayerPanel();
    renderLegend();
  }
  map.getView().fit(feature.getGeometry().getExtent(), { padding: [60, 60, 60, 60], maxZoom: 13, duration: 0 });
  select({ kind: 'zone', feature });
}

function renderCredits() {
  const credits = state.run.summary.credits ?? [];
  $('credits').innerHTML = `<ul>${credits.map((c) => `<li>${escapeHtml(c)}</li>`).join('')}</ul>
    <p class="disclaimer">${escapeHtml(t('disclaimer'))}</p>
    <p class="unit" id="run-date">${state.run.runDate ? `${escapeHtml(t('runDate'))} ${escapeHtml(new Date(state.run.runDate).toLocaleDateString(language() === 'fr' ? 'fr-FR' : 'en-GB', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }))} · ` : ''}Ewcm ${escapeHtml(state.run.summary.ewcm_version ?? '')} · OpenLayers</p>`;
}

function showMessage(text) {
  $('message').textContent = text;
  $('message').hidden = false;
}

function hideMessage() {
  $('message').hidden = true;
}

// ---------- start ----------

$('lang-en').addEventListener('click', () => switchLanguage('en'));
$('lang-fr').addEventListener('click', () => switchLanguage('fr'));
$('run-picker').addEventListener('change', (e) => {
  window.location.hash = encodeURIComponent(e.target.value);
  loadRun(e.target.value).catch((err) => showMessage(err.message));
});

function switchLanguage(lang) {
  setLanguage(lang);
  try {
    localStorage.setItem('ewcm.lang', lang);
  } catch {
    // Private browsing: the choice lasts for this page only.
  }
  renderAll();
}

// For the browser tests and curious users: the map and a way to find where a place is drawn.
window.ewcmViewer = {
  map,
  state,
  layers: () => ({ choropleth: choroplethLayer, zones: zonesLayer, boundaries: boundaryLayer, ...rasterLayers }),
  missingTranslations: () => {
    const [en, fr] = [Object.keys(dictionaries.en), Object.keys(dictionaries.fr)];
    return [...en.filter((k) => !fr.includes(k)), ...fr.filter((k) => !en.includes(k))];
  },
  pixelOf: (lon, lat) => map.getPixelFromCoordinate(transform([lon, lat], 'EPSG:4326', map.getView().getProjection())),
};

async function start() {
  let lang = 'en';
  try {
    lang = localStorage.getItem('ewcm.lang') ?? (navigator.language?.startsWith('fr') ? 'fr' : 'en');
  } catch {
    lang = navigator.language?.startsWith('fr') ? 'fr' : 'en';
  }
  setLanguage(lang);
  renderAll();
  state.runs = await fetchJson('api/runs');
  renderRunPicker();
  if (state.runs.length === 0) {
    showMessage(t('noRuns'));
    return;
  }
  const wanted = decodeURIComponent(window.location.hash.slice(1));
  const run = state.runs.find((r) => r.id === wanted) ?? state.runs[0];
  await loadRun(run.id);
}

start().catch((err) => showMessage(err.message));
