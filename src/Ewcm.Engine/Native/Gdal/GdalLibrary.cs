using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Ewcm.Engine.Native.Gdal;

/// <summary>
/// Finds and loads the GDAL shared library, then prepares GDAL once per process: registers all
/// drivers and routes GDAL's error reports to <see cref="GdalError"/> instead of stderr.
/// </summary>
/// <remarks>
/// The P/Invokes name the logical library <c>"gdal"</c>; a <see cref="DllImportResolver"/> on the
/// Ewcm.Engine assembly maps it to the handle loaded here. .NET allows one resolver per assembly, so
/// any other native library Ewcm.Engine may need must be resolved from <see cref="Resolve"/> too.
/// </remarks>
internal static class GdalLibrary
{
    /// <summary>Environment variable with an explicit path to the GDAL library, tried first.</summary>
    internal const string OverrideVariable = "EWCM_GDAL_LIBRARY";

    /// <summary>Oldest GDAL release Ewcm is tested with (GDALVersionInfo("VERSION_NUM") format).</summary>
    private const int MinimumVersionNumber = 3_06_00_00;

    private static readonly Lock Gate = new();
    private static IntPtr s_handle;
    private static bool s_resolverInstalled;
    private static volatile bool s_ready;

    /// <summary>File name (or path) of the library that was loaded; null before the first successful load.</summary>
    internal static string? LoadedFrom { get; private set; }

    /// <summary>Loads and prepares GDAL if that has not happened yet; cheap afterwards.</summary>
    /// <exception cref="GdalNotFoundException">No candidate library could be loaded, or it is too old.</exception>
    internal static void EnsureInitialized()
    {
        if (s_ready)
        {
            return;
        }

        lock (Gate)
        {
            if (s_ready)
            {
                return;
            }

            IReadOnlyList<string> candidates = Candidates();
            (IntPtr handle, string? name) = TryLoadFirst(candidates);
            if (handle == IntPtr.Zero)
            {
                throw GdalNotFoundException.Tried(candidates);
            }

            s_handle = handle;
            LoadedFrom = name;
            if (!s_resolverInstalled)
            {
                NativeLibrary.SetDllImportResolver(typeof(GdalLibrary).Assembly, Resolve);
                s_resolverInstalled = true;
            }

            CheckVersion(name!);
            GdalError.Install();
            GdalNative.GDALAllRegister();
            // GDAL's block cache defaults to 5 % of RAM; Ewcm streams each raster once in bands, so a
            // small cache keeps memory bounded without rereading blocks (GDAL_CACHEMAX still wins).
            if (Environment.GetEnvironmentVariable("GDAL_CACHEMAX") is null)
            {
                GdalNative.CPLSetConfigOption("GDAL_CACHEMAX", "256");
            }

            s_ready = true;
        }
    }

    /// <summary>Library names to try on this platform, most specific first.</summary>
    internal static IReadOnlyList<string> Candidates()
    {
        var names = new List<string>();
        string? overridePath = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            names.Add(overridePath);
        }

        if (OperatingSystem.IsWindows())
        {
            // OSGeo4W and conda ship gdal.dll or a versioned gdal3NN.dll.
            names.Add("gdal.dll");
            for (int minor = 12; minor >= 6; minor--)
            {
                names.Add($"gdal3{minor:00}.dll");
            }

            names.Add(@"C:\OSGeo4W\bin\gdal.dll");
        }
        else if (OperatingSystem.IsMacOS())
        {
            names.Add("libgdal.dylib");
            for (int soname = 32; soname <= 38; soname++)
            {
                names.Add($"libgdal.{soname}.dylib");
            }

            // dlopen does not search Homebrew/MacPorts prefixes by default.
            names.Add("/opt/homebrew/lib/libgdal.dylib");
            names.Add("/usr/local/lib/libgdal.dylib");
            names.Add("/opt/local/lib/libgdal.dylib");
        }
        else
        {
            // GDAL 3.6 = libgdal.so.32, 3.7 = .33, ... ; plain libgdal.so only exists with the -dev package.
            for (int soname = 32; soname <= 38; soname++)
            {
                names.Add($"libgdal.so.{soname}");
            }

            names.Add("libgdal.so");
        }

        return names;
    }

    /// <summary>Loads the first candidate that the OS loader accepts.</summary>
    internal static (IntPtr Handle, string? Name) TryLoadFirst(IEnumerable<string> candidates)
    {
        foreach (string name in candidates)
        {
            if (NativeLibrary.TryLoad(name, out IntPtr handle))
            {
                return (handle, name);
            }
        }

        return (IntPtr.Zero, null);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == GdalNative.Lib ? s_handle : IntPtr.Zero;

    private static void CheckVersion(string loadedName)
    {
        string? number = GdalNative.Utf8(GdalNative.GDALVersionInfo("VERSION_NUM"));
        if (int.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out int version) && version < MinimumVersionNumber)
        {
            string release = GdalNative.Utf8(GdalNative.GDALVersionInfo("RELEASE_NAME")) ?? number;
            throw new GdalNotFoundException(
                $"GDAL {release} was loaded from {loadedName}, but Ewcm needs GDAL 3.6 or newer. {GdalNotFoundException.InstallHint}");
        }
    }
}

/// <summary>Public view of the GDAL runtime Ewcm uses (for start-up checks and diagnostics).</summary>
public static class GdalRuntime
{
    /// <summary>Loads GDAL now instead of at first use, so a missing library is reported early.</summary>
    /// <exception cref="GdalNotFoundException">GDAL is not installed or cannot be loaded.</exception>
    public static void EnsureAvailable() => GdalLibrary.EnsureInitialized();

    /// <summary>GDAL's release name, e.g. "3.6.2".</summary>
    public static string Version
    {
        get
        {
            GdalLibrary.EnsureInitialized();
            return GdalNative.Utf8(GdalNative.GDALVersionInfo("RELEASE_NAME")) ?? "unknown";
        }
    }

    /// <summary>Library file name or path GDAL was loaded from, e.g. "libgdal.so.32".</summary>
    public static string LoadedFrom
    {
        get
        {
            GdalLibrary.EnsureInitialized();
            return GdalLibrary.LoadedFrom ?? "";
        }
    }
}
