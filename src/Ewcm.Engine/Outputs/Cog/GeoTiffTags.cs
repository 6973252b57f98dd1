using Ewcm.Engine.Native.Gdal;

namespace Ewcm.Engine.Outputs.Cog;

/// <summary>
/// The georeferencing and GDAL tags of a raster, as GDAL itself encodes them: GDAL writes a 1×1 GeoTIFF
/// with the same CRS, geotransform, nodata, scale and description, and its tags are copied verbatim.
/// This keeps the GeoTIFF keys right for any CRS without reimplementing libgeotiff.
/// </summary>
internal sealed class GeoTiffTags
{
    /// <summary>Tags copied to the full-resolution directory, in this order of preference.</summary>
    private static readonly ushort[] MainTags =
    [
        TiffTag.ModelPixelScale, TiffTag.ModelTiepoint, TiffTag.ModelTransformation, TiffTag.GeoKeyDirectory,
        TiffTag.GeoDoubleParams, TiffTag.GeoAsciiParams, TiffTag.GdalMetadata, TiffTag.GdalNoData,
    ];

    private GeoTiffTags(IReadOnlyList<TiffEntry> main, TiffEntry? noData, string? auxXml)
    {
        Main = main;
        NoData = noData;
        AuxXml = auxXml;
    }

    /// <summary>Georeferencing, GDAL_METADATA and GDAL_NODATA for the full-resolution directory.</summary>
    internal IReadOnlyList<TiffEntry> Main { get; }

    /// <summary>GDAL_NODATA, repeated on overview directories as GDAL's COG driver does; null without nodata.</summary>
    internal TiffEntry? NoData { get; }

    /// <summary>
    /// What GDAL could not put into tags and saved in a side-car .aux.xml (e.g. a CRS GeoTIFF keys cannot
    /// express); it is written next to the COG so GDAL reads the same raster; usually null.
    /// </summary>
    internal string? AuxXml { get; }

    /// <summary>Has GDAL encode the tags through a hidden 1×1 GeoTIFF in <paramref name="folder"/>, then deletes it.</summary>
    /// <exception cref="GdalException">GDAL rejects the CRS, geotransform or band settings.</exception>
    internal static GeoTiffTags Encode(string folder, string forPath, double[] geoTransform, string crsWkt, CogBand band)
    {
        string tiny = Path.Combine(folder, $".{Path.GetFileName(forPath)}.{Guid.NewGuid():N}.tags.tif");
        try
        {
            GdalDataType type = band.Pixel == CogPixel.Byte ? GdalDataType.Byte : GdalDataType.Float32;
            try
            {
                using GdalDataset dataset = GdalDataset.CreateRaster("GTiff", tiny, 1, 1, 1, type);
                dataset.SetGeoTransform(geoTransform);
                if (crsWkt.Length > 0)
                {
                    dataset.SetProjection(crsWkt);
                }

                GdalBand gdalBand = dataset.Band(1);
                if (band.NoData is double nd)
                {
                    gdalBand.SetNoData(nd);
                }

                if (band.Scale is double scale)
                {
                    gdalBand.SetScaleOffset(scale, 0);
                }

                if (band.Description is not null)
                {
                    gdalBand.SetDescription(band.Description);
                }

                dataset.Close();
            }
            catch (GdalException e)
            {
                throw new GdalException(forPath, "encoding the georeferencing tags", e.GdalMessage, e.ErrorNumber);
            }

            (_, IReadOnlyList<TiffDirectory> directories) = TiffDirectoryReader.Read(File.ReadAllBytes(tiny), tiny);
            TiffDirectory first = directories[0];
            var main = MainTags.Select(first.Find).OfType<TiffEntry>().ToList();
            string aux = tiny + ".aux.xml";
            return new GeoTiffTags(main, first.Find(TiffTag.GdalNoData), File.Exists(aux) ? File.ReadAllText(aux) : null);
        }
        finally
        {
            TemporaryFiles.DeleteQuietly(tiny);
            TemporaryFiles.DeleteQuietly(tiny + ".aux.xml");
        }
    }
}
