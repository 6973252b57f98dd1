using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Native.Gdal;

namespace Ewcm.Engine.Inputs;

/// <summary>The messages shared by the GDAL-based readers for files that are missing or unreadable.</summary>
internal static class GdalInput
{
    /// <summary>Throws when <paramref name="path"/> is a plain file path that does not exist.</summary>
    /// <remarks>GDAL virtual paths (/vsizip/, /vsicurl/, ...) are left for GDAL to judge.</remarks>
    internal static void RequireFile(string path, string what)
    {
        if (path.StartsWith("/vsi", StringComparison.Ordinal))
        {
            return;
        }

        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw InputException.For(path, null, $"the {what} file does not exist", "Check the path in country.yaml");
        }
    }

    /// <summary>The exception for a file GDAL could not open, with GDAL's reason.</summary>
    internal static InputException Unreadable(string path, string what, GdalException cause) =>
        new($"{path}: GDAL cannot open this {what}: {cause.GdalMessage}. Check that the file is complete and in a format GDAL reads.", cause);
}
