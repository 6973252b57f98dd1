// Every label of the page in English and French (terms from the project's glossary), and number
// formatting for the language. Keys missing in one language are a bug: tests switch languages.

const en = {
  title: 'Early-warning connectivity map',
  subtitle: 'Who cannot be reached by a mobile alert, and where?',
  run: 'Run',
  language: 'Language',
  layers: 'Layers',
  layerChoropleth: 'Admin units: indicator (choropleth)',
  layerUncovered: 'Uncovered population (per grid cell)',
  layerCoverage: 'Covered by at least {tech}',
  layerZones: 'Blank zones',
  layerBoundaries: 'Country boundaries',
  adminLevel: 'Admin level',
  indicator: 'Indicator',
  indUncovered: 'Share of population not covered (no 2G)',
  indNot4g: 'Share of population without 4G',
  indDensity: 'Population density',
  indHazard: 'Exposed to {hazard} and unreachable',
  legend: 'Legend',
  legendUncoveredUnit: 'people per grid cell (≈ {size} m)',
  legendCoverageUnit: 'share of the cell covered',
  legendPercentUnit: '% of the unit\'s population',
  legendDensityUnit: 'people per km²',
  legendZones: 'Blank zone (number = rank by priority)',
  noData: 'No data (n.d.)',
  noPeople: 'no people',
  summary: 'Key figures',
  population: 'Population',
  uncoveredPopulation: 'Uncovered population',
  shareUncovered: 'Share of population not covered',
  coveredPopulation: 'Covered population',
  level: 'Level',
  union: 'Union of operators',
  bestOperator: 'Best single operator (SDG 9.c.1)',
  operator: 'Operator',
  atLeast: 'At least {tech}',
  outsideUnits: 'People outside every admin unit: {n}',
  selection: 'Selection',
  clickHint: 'Click an admin unit or a blank zone on the map to see its numbers.',
  adminUnit: 'Administrative unit',
  pcode: 'P-code',
  sdg: 'SDG 9.c.1 (best operator)',
  blankZones: 'Ranked blank zones (by priority)',
  blankZone: 'Blank zone',
  rank: 'Rank',
  people: 'People',
  area: 'Area (km²)',
  adminNames: 'Admin units',
  nearestPlace: 'Nearest locality',
  distanceTo2g: 'Distance to 2G coverage (km)',
  priority: 'Priority',
  zonesTotal: '{zones} blank zones, {people} people',
  zonesScattered: 'Scattered (not in a zone): {zones} areas, {people} people',
  zonesShown: 'Showing the first {shown} of {total}.',
  zoomHint: 'Click a row to zoom to the zone.',
  hazards: 'Hazards',
  hazard: 'Hazard',
  exposed: 'Exposed population',
  exposedUnreachable: 'Exposed, unreachable by mobile alert',
  credits: 'Data sources and licences',
  disclaimer: 'Figures are model-based estimates. Coverage comes from operator-declared or simulated footprints and population from 100 m gridded estimates; small-area values are indicative. Field verification is recommended before investment decisions.',
  runDate: 'Computed on',
  loading: 'Loading…',
  loadError: 'Could not load {file}: {error}',
  noRuns: 'No run is served.',
  unsupportedCrs: 'The rasters are in {crs}, which this page cannot draw; the tables and boundaries are shown.',
  km: 'km',
  north: 'N',
};

const fr = {
  title: 'Carte de connectivité pour l\'alerte précoce',
  subtitle: 'Qui une alerte mobile ne peut-elle pas joindre, et où ?',
  run: 'Calcul',
  language: 'Langue',
  layers: 'Couches',
  layerChoropleth: 'Unités administratives : indicateur (carte choroplèthe)',
  layerUncovered: 'Population non couverte (par maille)',
  layerCoverage: 'Couvert par au moins {tech}',
  layerZones: 'Zones blanches',
  layerBoundaries: 'Limites du pays',
  adminLevel: 'Niveau administratif',
  indicator: 'Indicateur',
  indUncovered: 'Taux de population non couverte (sans 2G)',
  indNot4g: 'Taux de population sans 4G',
  indDensity: 'Densité de population',
  indHazard: 'Exposée à l\'aléa {hazard} et non joignable',
  legend: 'Légende',
  legendUncoveredUnit: 'habitants par maille (≈ {size} m)',
  legendCoverageUnit: 'part de la maille couverte',
  legendPercentUnit: '% de la population de l\'unité',
  legendDensityUnit: 'habitants par km²',
  legendZones: 'Zone blanche (numéro = rang de priorité)',
  noData: 'Données non disponibles (n.d.)',
  noPeople: 'aucun habitant',
  summary: 'Chiffres clés',
  population: 'Population',
  uncoveredPopulation: 'Population non couverte',
  shareUncovered: 'Taux de population non couverte',
  coveredPopulation: 'Population couverte',
  level: 'Niveau',
  union: 'Tous opérateurs confondus',
  bestOperator: 'Meilleur opérateur (ODD 9.c.1)',
  operator: 'Opérateur',
  atLeast: 'Au moins {tech}',
  outsideUnits: 'Habitants hors de toute unité administrative : {n}',
  selection: 'Sélection',
  clickHint: 'Cliquez sur une unité administrative ou une zone blanche pour voir ses chiffres.',
  adminUnit: 'Unité administrative',
  pcode: 'Code P (P-code)',
  sdg: 'ODD 9.c.1 (meilleur opérateur)',
  blankZones: 'Zones blanches classées (par priorité)',
  blankZone: 'Zone blanche',
  rank: 'Rang',
  people: 'Habitants',
  area: 'Surface (km²)',
  adminNames: 'Unités administratives',
  nearestPlace: 'Localité la plus proche',
  distanceTo2g: 'Distance à la couverture 2G (km)',
  priority: 'Priorité',
  zonesTotal: '{zones} zones blanches, {people} habitants',
  zonesScattered: 'Dispersés (hors zone) : {zones} secteurs, {people} habitants',
  zonesShown: 'Les {shown} premières sur {total}.',
  zoomHint: 'Cliquez sur une ligne pour zoomer sur la zone.',
  hazards: 'Aléas',
  hazard: 'Aléa',
  exposed: 'Population exposée',
  exposedUnreachable: 'Exposée, non joignable par alerte mobile',
  credits: 'Sources des données et licences',
  disclaimer: 'Les chiffres sont des estimations issues de modèles. La couverture provient d\'empreintes déclarées par les opérateurs ou simulées, et la population d\'estimations maillées à 100 m ; les valeurs pour de petites zones sont indicatives. Une vérification sur le terrain est recommandée avant toute décision d\'investissement.',
  runDate: 'Calculé le',
  loading: 'Chargement…',
  loadError: 'Impossible de charger {file} : {error}',
  noRuns: 'Aucun calcul n\'est servi.',
  unsupportedCrs: 'Les rasters sont en {crs}, que cette page ne sait pas afficher ; les tableaux et les limites sont affichés.',
  km: 'km',
  north: 'N',
};

// Admin level names as the data gives them, in French when a usual translation exists.
const levelNames = {
  fr: {
    country: 'Pays', region: 'Région', province: 'Province', district: 'District', chiefdom: 'Chefferie',
    section: 'Section', department: 'Département', commune: 'Commune', county: 'Comté', state: 'État',
    municipality: 'Municipalité', ward: 'Quartier', prefecture: 'Préfecture', 'sub-prefecture': 'Sous-préfecture',
  },
};

export const dictionaries = { en, fr };

let current = 'en';

export function setLanguage(lang) {
  current = dictionaries[lang] ? lang : 'en';
  document.documentElement.lang = current;
}

export function language() {
  return current;
}

/** The label `key` in the current language, with {name} placeholders filled from `params`. */
export function t(key, params = {}) {
  const text = dictionaries[current][key] ?? dictionaries.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

export function levelName(level) {
  const known = levelNames[current]?.[level.toLowerCase()];
  const name = known ?? level;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function locale() {
  return current === 'fr' ? 'fr-FR' : 'en-GB';
}

/** A count of people (rounded to a whole person), e.g. 6,737,136 or 6 737 136. */
export function formatCount(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return t('noData');
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(value);
}

/** A number with `digits` decimals. */
export function formatNumber(value, digits = 1) {
  if (value === null || value === undefined || Number.isNaN(value)) return t('noData');
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** A percentage given as 0–100, with one decimal: 4.2% / 4,2 %. */
export function formatPercent(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return t('noData');
  return new Intl.NumberFormat(locale(), { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value / 100);
}

/** A class range of percentages, e.g. "5–10%" / "5–10 %". */
export function formatPercentRange(low, high) {
  const nf = new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 });
  if (high === undefined) return `≥ ${nf.format(low / 100)}`;
  const a = new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(low);
  return `${a}–${nf.format(high / 100)}`;
}

/** A class range of plain numbers. */
export function formatRange(low, high, digits = 0) {
  const nf = new Intl.NumberFormat(locale(), { maximumFractionDigits: digits });
  if (high === undefined) return `≥ ${nf.format(low)}`;
  return `${nf.format(low)}–${nf.format(high)}`;
}
