using System.Globalization;
using System.Runtime.CompilerServices;
using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Grids;
using Ewcm.Engine.Inputs;

namespace Ewcm.Engine.Pipeline;

/// <summary>
/// The population raster as the analysis grid: checks it once, then hands out bands of rows as people
/// per cell (densities turned into counts, nodata as NaN), refusing values that cannot be people.
/// </summary>
public sealed class PopulationGrid
{
    private readonly double[] _rowAreaKm2;

    private PopulationGrid(PopulationInput input, GridSpec grid, string crsWkt, bool geographic, float? noData, double[] rowAreaKm2)
    {
        Input = input;
        Grid = grid;
        CrsWkt = crsWkt;
        IsGeographic = geographic;
        NoData = noData;
        _rowAreaKm2 = rowAreaKm2;
    }

    public PopulationInput Input { get; }

    public GridSpec Grid { get; }

    public string CrsWkt { get; }

    public bool IsGeographic { get; }

    /// <summary>The nodata value in force (from country.yaml, else from the raster), if any.</summary>
    public float? NoData { get; }

    /// <summary>Opens and checks the raster described by <paramref name="input"/>.</summary>
    public static PopulationGrid Open(PopulationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using RasterSource raster = RasterSource.Open(input.Path);
        CheckGeoreferencing(input.Path, raster);
        var grid = GridSpec.FromGeoTransform(raster.GeoTransform, raster.Width, raster.Height);
        bool geographic = CrsInfo.IsGeographic(raster.CrsWkt);
        double? nd = input.NoData ?? raster.NoData;
        float? noData = nd is null || double.IsNaN(nd.Value) ? null : (float)nd.Value;
        var areas = new double[grid.Rows];
        FillRowAreas(raster.CrsWkt, grid, geographic, areas);

        return new PopulationGrid(input, grid, raster.CrsWkt, geographic, noData, areas);
    }

    /// <summary>The raster must say where its cells are: a geotransform (north-up) and a CRS.</summary>
    private static void CheckGeoreferencing(string path, RasterSource raster)
    {
        // Checked first: without a geotransform GDAL reports pixel coordinates, which would read as "not north-up".
        if (!raster.HasGeoTransform)
        {
            throw InputException.For(path, null, "the population raster has no georeferencing (no geotransform), so its cells have no place on the map",
                "Export it again with its georeferencing, or set it with gdal_translate -a_ullr WEST NORTH EAST SOUTH -a_srs EPSG:4326 in.tif out.tif");
        }

        if (string.IsNullOrEmpty(raster.CrsWkt))
        {
            throw InputException.For(path, null, "the population raster has no coordinate reference system",
                "Assign the right one, e.g. gdal_edit.py -a_srs EPSG:4326 (WorldPop and GHSL-WGS84 grids are EPSG:4326)");
        }

        if (!GridSpec.IsNorthUp(raster.GeoTransform))
        {
            throw InputException.For(path, null, "the raster is rotated or not north-up",
                "Warp it to a north-up grid first, e.g. gdalwarp in.tif out.tif");
        }
    }

    /// <summary>True area in km² of one cell of row <paramref name="row"/>.</summary>
    public double CellAreaKm2(int row) => _rowAreaKm2[row];

    /// <summary>Opens a reader for one thread.</summary>
    public Reader OpenReader() => new(this, RasterSource.Open(Input.Path));

    private static void FillRowAreas(string wkt, GridSpec grid, bool geographic, double[] areas)
    {
        if (!geographic)
        {
            // Projected grids: the cell's map area. Exact for equal-area grids (Mollweide, LAEA) and
            // close for UTM within its zone; the CRS units must be metres.
            Array.Fill(areas, grid.CellWidth * grid.CellHeight / 1e6);
            return;
        }

        double[] ellipsoid = CrsInfo.SemiMajorAndInverseFlattening(wkt);
        for (int r = 0; r < grid.Rows; r++)
        {
            double top = grid.ToY(r), bottom = grid.ToY(r + 1);
            areas[r] = CellArea.GeographicCellKm2(top, bottom, grid.CellWidth, ellipsoid[0], ellipsoid[1]);
        }
    }

    /// <summary>Reads bands for one thread (a GDAL dataset handle is not shared between threads).</summary>
    public sealed class Reader : IDisposable
    {
        private readonly PopulationGrid _grid;
        private readonly RasterSource _raster;

        internal Reader(PopulationGrid grid, RasterSource raster)
        {
            _grid = grid;
            _raster = raster;
        }

        /// <summary>
        /// Reads rows [row0, row0 + rows) as people per cell into <paramref name="destination"/>, NaN where
        /// there is no data; returns the valid area in km² (for plausibility checks).
        /// </summary>
        /// <remarks>Optimized at once (called once per band; see <see cref="DecodeFloor"/>).</remarks>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public double ReadBand(int row0, int rows, Span<float> destination)
        {
            int cols = _grid.Grid.Columns;
            Span<float> buf = destination[..(rows * cols)];
            _raster.ReadRows(row0, rows, buf);
            float? nodata = _grid.NoData;
            bool density = _grid.Input.Kind == PopulationKind.Density;
            double validArea = 0;
            for (int r = 0; r < rows; r++)
            {
                Span<float> row = buf.Slice(r * cols, cols);
                double area = _grid.CellAreaKm2(row0 + r);
                int vectorized = PeopleCells.CleanVectors(row, nodata, density ? area : null, out long valid);
                for (int c = vectorized; c < cols; c++)
                {
                    float v = row[c];
                    if (float.IsNaN(v) || (nodata is float nd && v == nd))
                    {
                        row[c] = float.NaN;
                        continue;
                    }

                    if (v < 0 || float.IsInfinity(v))
                    {
                        throw BadValue(v, row0 + r, c);
                    }

                    valid++;
                    if (density)
                    {
                        row[c] = (float)(v * area);
                    }
                }

                validArea += valid * area;
            }

            return validArea;
        }

        private InputException BadValue(float v, int row, int col)
        {
            string value = v.ToString("R", CultureInfo.InvariantCulture);
            string declared = _grid.NoData is float nd
                ? $"the nodata value in force is {nd.ToString("R", CultureInfo.InvariantCulture)}"
                : "the raster declares no nodata value";
            string fix = v <= -9999 || float.IsInfinity(v)
                ? $"This looks like a nodata sentinel: add nodata: {value} under population in country.yaml, or set it in the file with gdal_edit.py -a_nodata {value}"
                : "Population cannot be negative: fix the raster, or declare the value as nodata (population: nodata: ...)";
            return InputException.For(_grid.Input.Path, null,
                $"cell (row {row}, column {col}) holds {value}, which is not a number of people, and {declared}", fix);
        }

        public void Dispose() => _raster.Dispose();
    }
}
