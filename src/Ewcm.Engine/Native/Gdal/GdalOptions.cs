namespace Ewcm.Engine.Native.Gdal;

/// <summary>Builds GDAL string lists (<c>char**</c>, NULL-terminated, "KEY=VALUE" entries).</summary>
internal static class GdalOptions
{
    /// <summary>The list for <paramref name="options"/>, or null (GDAL's "no options") when there are none.</summary>
    internal static string?[]? From(IEnumerable<KeyValuePair<string, string>>? options)
    {
        if (options is null)
        {
            return null;
        }

        var list = new List<string?>();
        foreach ((string key, string value) in options)
        {
            list.Add($"{key}={value}");
        }

        if (list.Count == 0)
        {
            return null;
        }

        list.Add(null); // GDAL walks the list until a NULL entry.
        return [.. list];
    }
}
