using Ewcm.Engine.Diagnostics;

namespace Ewcm.Engine.Native.Gdal;

/// <summary>
/// GDAL reported a failure (a NULL handle or a CE_Failure result). The message names the file, what
/// Ewcm was doing and GDAL's own explanation.
/// </summary>
public class GdalException : EwcmException
{
    public GdalException() { }

    public GdalException(string message) : base(message) { }

    public GdalException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Builds "<paramref name="path"/>: <paramref name="action"/> failed: <paramref name="gdalMessage"/>".</summary>
    public GdalException(string path, string action, string gdalMessage, int errorNumber)
        : base($"{path}: {action} failed: {gdalMessage}")
    {
        Path = path;
        GdalMessage = gdalMessage;
        ErrorNumber = errorNumber;
    }

    /// <summary>File (or GDAL connection string) the failure is about; empty when not known.</summary>
    public string Path { get; } = "";

    /// <summary>GDAL's own error text (CPLError messages since the call began).</summary>
    public string GdalMessage { get; } = "";

    /// <summary>GDAL's CPLErrorNum (e.g. 4 = CPLE_OpenFailed); 0 when GDAL gave none.</summary>
    public int ErrorNumber { get; }
}

/// <summary>The GDAL shared library could not be found or loaded. The message says how to install it.</summary>
public sealed class GdalNotFoundException : EwcmException
{
    /// <summary>How to get GDAL on each platform; appended to every "not found" message.</summary>
    public const string InstallHint =
        "Install GDAL 3.6 or newer: on Debian/Ubuntu `sudo apt-get install libgdal32` (or `gdal-bin`, which pulls in the "
        + "library of your release); on macOS `brew install gdal`; on Windows install GDAL with OSGeo4W or "
        + "`conda install -c conda-forge gdal` and put the folder holding gdal.dll on PATH. "
        + "Alternatively set EWCM_GDAL_LIBRARY to the full path of the GDAL library file.";

    public GdalNotFoundException()
        : base("GDAL could not be loaded. " + InstallHint) { }

    public GdalNotFoundException(string message) : base(message) { }

    public GdalNotFoundException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Builds the message from the library names that were tried.</summary>
    internal static GdalNotFoundException Tried(IEnumerable<string> candidates) =>
        new($"GDAL could not be loaded (tried {string.Join(", ", candidates)}). {InstallHint}");
}
