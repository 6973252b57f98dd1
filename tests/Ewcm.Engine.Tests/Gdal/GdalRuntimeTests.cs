using Ewcm.Engine.Native.Gdal;

namespace Ewcm.Engine.Tests.Gdal;

public class GdalRuntimeTests
{
    [Fact]
    public void Loads_the_installed_gdal()
    {
        GdalRuntime.EnsureAvailable();

        Assert.StartsWith("3.", GdalRuntime.Version, StringComparison.Ordinal);
        Assert.Contains("gdal", GdalRuntime.LoadedFrom, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Candidates_cover_the_debian_sonames_and_the_dev_symlink()
    {
        IReadOnlyList<string> candidates = GdalLibrary.Candidates();

        if (OperatingSystem.IsLinux())
        {
            foreach (string name in new[] { "libgdal.so.32", "libgdal.so.33", "libgdal.so.34", "libgdal.so.35", "libgdal.so.36", "libgdal.so.37", "libgdal.so" })
            {
                Assert.Contains(name, candidates);
            }
        }

        Assert.NotEmpty(candidates);
    }

    [Fact]
    public void A_missing_library_is_reported_with_install_instructions()
    {
        string[] bogus = ["libgdal-does-not-exist.so.99", "gdal-does-not-exist.dll"];

        (IntPtr handle, string? name) = GdalLibrary.TryLoadFirst(bogus);
        GdalNotFoundException error = GdalNotFoundException.Tried(bogus);

        Assert.Equal(IntPtr.Zero, handle);
        Assert.Null(name);
        Assert.Contains("GDAL could not be loaded", error.Message, StringComparison.Ordinal);
        Assert.Contains("libgdal-does-not-exist.so.99", error.Message, StringComparison.Ordinal);
        Assert.Contains("sudo apt-get install libgdal32", error.Message, StringComparison.Ordinal);
        Assert.Contains("gdal-bin", error.Message, StringComparison.Ordinal);
        Assert.Contains("brew install gdal", error.Message, StringComparison.Ordinal);
        Assert.Contains("OSGeo4W", error.Message, StringComparison.Ordinal);
        Assert.Contains("conda install -c conda-forge gdal", error.Message, StringComparison.Ordinal);
        Assert.Contains("gdal.dll on PATH", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<Ewcm.Engine.Diagnostics.EwcmException>(error);
    }

    [Fact]
    public void Gdal_failures_carry_the_path_and_gdals_own_message()
    {
        using var folder = new TempFolder();
        string path = folder.File("not-a-raster.tif");
        File.WriteAllText(path, "this is text, not a GeoTIFF");

        GdalException error = Assert.Throws<GdalException>(() => GdalDataset.Open(path, GdalOpenFlags.Raster));

        Assert.Equal(path, error.Path);
        Assert.StartsWith(path + ": opening failed: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("not recognized as a supported file format", error.GdalMessage, StringComparison.Ordinal);
        Assert.NotEqual(0, error.ErrorNumber);
    }
}
