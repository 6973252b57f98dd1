
namespace Ewcm.Viewer.Server;

/// <summary>The page (index.html and the OpenLayers bundle), embedded in this assembly when it is built.</summary>
public static class PageAssets
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
        ["app.js.map"] = "application/json; charset=utf-8",
        ["app.css.map"] = "application/json; charset=utf-8",
    };

    private static readonly Dictionary<string, byte[]> Cache = new(StringComparer.Ordinal);

    /// <summary>The asset's bytes and content type, or null for a name that is not one of the page's files.</summary>
    public static (byte[] Bytes, string ContentType)? Get(string name)
    {
        if (!ContentTypes.TryGetValue(name, out string? type))
        {
            return null;
        }

        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out byte[]? bytes))
            {
                using Stream? s = typeof(PageAssets).Assembly.GetManifestResourceStream($"page/{name}");
                if (s is null)
                {
                    return null;
                }

                using var copy = new MemoryStream();
                s.CopyTo(copy);
                bytes = copy.ToArray();
                Cache[name] = bytes;
            }

            return (bytes, type);
        }
    }

    /// <summary>True when the page was bundled into this build (Node.js was there at build time).</summary>
    public static bool Present => typeof(PageAssets).Assembly.GetManifestResourceNames().Contains("page/app.js", StringComparer.Ordinal);

}
