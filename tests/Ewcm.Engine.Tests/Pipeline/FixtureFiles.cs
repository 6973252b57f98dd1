using System.Text.Json;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Native.Gdal;
using Ewcm.Engine.Outputs;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Geometries.Utilities;

namespace Ewcm.Engine.Tests.Pipeline;

/// <summary>A north-up grid in degrees: the cells of a test raster.</summary>
internal sealed record RasterGrid(double West, double North, double CellSize, int Columns, int Rows)
{
    public int Cells => Columns * Rows;

    public double[] GeoTransform => [West, CellSize, 0, North, 0, -CellSize];

    public double CellWest(int column) => West + (column * CellSize);

    public double CellNorth(int row) => North - (row * CellSize);

    public Envelope CellEnvelope(int column, int row) =>
        new(CellWest(column), CellWest(column + 1), CellNorth(row + 1), CellNorth(row));
}

/// <summary>Writes real input files for run tests: GeoTIFFs through GDAL, vector layers through <see cref="GpkgWriter"/>.</summary>
internal static class FixtureFiles
{
    public static readonly string Wgs84 = CrsInfo.FromUserInput("EPSG:4326");

    public static readonly GeometryFactory Factory = new();

    public static readonly FieldSpec[] AdminFields = [new("pcode", FieldKind.String), new("name", FieldKind.String)];

    public static readonly FieldSpec[] OperatorFields = [new("operator", FieldKind.String)];

    /// <summary>
    /// A Float32 GeoTIFF of <paramref name="values"/> (row-major). <paramref name="noData"/> null declares
    /// none, <paramref name="crsWkt"/> "" writes no CRS, <paramref name="georeferenced"/> false no geotransform.
    /// </summary>
    public static void WriteRaster(string path, RasterGrid grid, float[] values, double? noData = null, string? crsWkt = null,
        bool georeferenced = true, IEnumerable<KeyValuePair<string, string>>? creationOptions = null)
    {
        Assert.Equal(grid.Cells, values.Length);
        using GdalDataset dataset = GdalDataset.CreateRaster("GTiff", path, grid.Columns, grid.Rows, 1, GdalDataType.Float32, creationOptions);
        if (georeferenced)
        {
            dataset.SetGeoTransform(grid.GeoTransform);
        }

        string crs = crsWkt ?? Wgs84;
        if (crs.Length > 0)
        {
            dataset.SetProjection(crs);
        }

        GdalBand band = dataset.Band(1);
        if (noData is double nd)
        {
            band.SetNoData(nd);
        }

        band.Write<float>(0, 0, grid.Columns, grid.Rows, values);
        dataset.Close();
    }

    /// <summary>Writes one layer (the format follows the extension: .gpkg, .shp, .geojson, .fgb).</summary>
    public static void WriteLayer(string path, string layer, IReadOnlyList<FieldSpec> fields, IEnumerable<(Geometry Geometry, object?[] Values)> features,
        string? crsWkt = null) =>
        GpkgWriter.Write(path, [Layer(layer, fields, features, crsWkt)]);

    public static VectorLayerToWrite Layer(string name, IReadOnlyList<FieldSpec> fields, IEnumerable<(Geometry Geometry, object?[] Values)> features,
        string? crsWkt = null) =>
        new(name, crsWkt ?? Wgs84, fields, [.. features.Select(f => (f.Geometry, (IReadOnlyList<object?>)f.Values))]);

    public static Polygon Box(double west, double south, double east, double north) =>
        (Polygon)Factory.ToGeometry(new Envelope(west, east, south, north));

    /// <summary>
    /// A self-intersecting "bow-tie" ring over the box: its diagonals cross at the centre, so it is two
    /// triangles (opening west and east) drawn as one invalid polygon.
    /// </summary>
    public static Polygon BowTie(double west, double south, double east, double north) => Factory.CreatePolygon(
        [new(west, south), new(east, north), new(east, south), new(west, north), new(west, south)]);

    /// <summary>The two triangles a bow-tie stands for (what a repair that keeps all of its area gives).</summary>
    public static Geometry BowTieTriangles(double west, double south, double east, double north)
    {
        var centre = new Coordinate((west + east) / 2, (south + north) / 2);
        Polygon westTriangle = Factory.CreatePolygon([new(west, south), centre, new(west, north), new(west, south)]);
        Polygon eastTriangle = Factory.CreatePolygon([new(east, south), new(east, north), centre, new(east, south)]);
        return Factory.CreateMultiPolygon([westTriangle, eastTriangle]);
    }

    /// <summary>
    /// The polygons of the first feature of a GeoJSON MultiPolygon file, read with System.Text.Json (not
    /// through GDAL), longitudes mapped by <paramref name="longitude"/>, each made valid on its own.
    /// </summary>
    public static List<Polygon> ReadGeoJsonPolygons(string path, Func<double, double> longitude)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement geometry = doc.RootElement.GetProperty("features")[0].GetProperty("geometry");
        Assert.Equal("MultiPolygon", geometry.GetProperty("type").GetString());
        var result = new List<Polygon>();
        foreach (JsonElement polygon in geometry.GetProperty("coordinates").EnumerateArray())
        {
            LinearRing[] rings = [.. polygon.EnumerateArray().Select(ring => Factory.CreateLinearRing(
                [.. ring.EnumerateArray().Select(p => new Coordinate(longitude(p[0].GetDouble()), p[1].GetDouble()))]))];
            Polygon part = Factory.CreatePolygon(rings[0], rings[1..]);
            result.AddRange(part.IsValid ? [part] : PolygonExtracter.GetPolygons(GeometryFixer.Fix(part)).Cast<Polygon>());
        }

        return result;
    }

    /// <summary>
    /// The oracle: Σ over cells of people × (area of the cell inside <paramref name="area"/> / cell area),
    /// computed cell by cell with NTS in the grid's own coordinates. NaN cells count as nothing.
    /// </summary>
    public static double PeopleIn(RasterGrid grid, float[] population, Geometry area)
    {
        IPreparedGeometry prepared = PreparedGeometryFactory.Prepare(area);
        Envelope e = area.EnvelopeInternal;
        int c0 = Math.Max(0, (int)Math.Floor((e.MinX - grid.West) / grid.CellSize));
        int c1 = Math.Min(grid.Columns - 1, (int)Math.Floor((e.MaxX - grid.West) / grid.CellSize));
        int r0 = Math.Max(0, (int)Math.Floor((grid.North - e.MaxY) / grid.CellSize));
        int r1 = Math.Min(grid.Rows - 1, (int)Math.Floor((grid.North - e.MinY) / grid.CellSize));
        double sum = 0;
        for (int r = r0; r <= r1; r++)
        {
            for (int c = c0; c <= c1; c++)
            {
                float v = population[(r * grid.Columns) + c];
                if (float.IsNaN(v))
                {
                    continue;
                }

                Geometry cell = Factory.ToGeometry(grid.CellEnvelope(c, r));
                if (prepared.Contains(cell))
                {
                    sum += v;
                }
                else if (prepared.Intersects(cell))
                {
                    sum += v * cell.Intersection(area).Area / cell.Area;
                }
            }
        }

        return sum;
    }

    /// <summary>Σ of the non-NaN values, in double.</summary>
    public static double Sum(IEnumerable<float> values) => values.Where(v => !float.IsNaN(v)).Sum(v => (double)v);
}
