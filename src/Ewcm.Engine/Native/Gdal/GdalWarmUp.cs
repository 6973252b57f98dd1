namespace Ewcm.Engine.Native.Gdal;

/// <summary>Loads GDAL ahead of its first use.</summary>
public static class GdalWarmUp
{
    /// <summary>
    /// Starts loading GDAL (its library, the libraries it needs and its drivers: 0.1–0.2 s) on a pool thread,
    /// so that it overlaps the command's own start (reading country.yaml). Failures are left for the first
    /// real use, which reports them.
    /// </summary>
    public static void Start() => _ = Task.Run(() =>
    {
        try
        {
            GdalLibrary.EnsureInitialized();
        }
        catch (GdalNotFoundException)
        {
            // Reported where GDAL is first needed.
        }
    });
}
