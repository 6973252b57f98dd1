using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ewcm.Viewer.Server;

/// <summary>
/// The viewer's web server: the page, the list of runs and the files of the run folders, read-only
/// (GET and HEAD only; nothing is ever written). Rasters are served with range requests, so the page
/// reads only the parts of the Cloud Optimized GeoTIFFs it draws.
/// </summary>
public sealed class ViewerServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ViewerServer(WebApplication app, RunCatalog catalog)
    {
        _app = app;
        Catalog = catalog;
    }

    /// <summary>The runs served.</summary>
    public RunCatalog Catalog { get; }

    /// <summary>The address to open on this machine, e.g. http://127.0.0.1:8150/.</summary>
    public Uri LocalUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The addresses listened on, as Kestrel reports them (0.0.0.0 with --lan).</summary>
    public IReadOnlyList<Uri> ListenAddresses { get; private set; } = [];

    /// <summary>True when only this machine can connect.</summary>
    public bool IsLoopbackOnly => ListenAddresses.All(u => IPAddress.TryParse(u.Host, out IPAddress? a) && IPAddress.IsLoopback(a));

    /// <summary>The port listened on (the one picked when 0 was asked).</summary>
    public int Port => LocalUrl.Port;

    /// <summary>Checks the folders and starts listening.</summary>
    /// <exception cref="ViewerException">A folder is missing or holds no run, or the port is taken.</exception>
    public static async Task<ViewerServer> StartAsync(ViewerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var catalog = new RunCatalog(options.Folders);
        if (!PageAssets.Present)
        {
            throw new ViewerException("The viewer's page was not bundled into this build (Node.js and npm were missing when it was built). Run scripts/prerequisites.sh node, then build again.");
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(options.Lan ? IPAddress.Any : IPAddress.Loopback, options.Port);
        });
        builder.Services.AddResponseCompression(o =>
        {
            // Text only: the GeoTIFFs are compressed already and are read by ranges.
            o.MimeTypes = ["application/json", "application/geo+json", "text/csv", "text/javascript", "text/css", "text/html"];
            o.Providers.Add<GzipCompressionProvider>();
        });

        WebApplication app = builder.Build();
        app.UseResponseCompression();
        app.Use(async (context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            // The page may load nothing from elsewhere: everything is on this server.
            context.Response.Headers.ContentSecurityPolicy =
                "default-src 'self'; img-src 'self' data: blob:; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'";
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                context.Response.Headers.Allow = "GET, HEAD";
                return;
            }

            await next(context).ConfigureAwait(false);
        });
        MapEndpoints(app, catalog);

        var server = new ViewerServer(app, catalog);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new ViewerException($"Cannot listen on port {options.Port}: {e.Message} Choose another with --port N (0 picks a free one).", e);
        }

        server.ListenAddresses = [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a))];
        server.LocalUrl = new Uri($"http://127.0.0.1:{server.ListenAddresses[0].Port}/");
        return server;
    }

    /// <summary>The addresses other machines of the local network can open (with --lan).</summary>
    public IReadOnlyList<Uri> LanUrls() =>
    [
        .. NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a.Address))
            .Select(a => new Uri($"http://{a.Address}:{Port}/"))
            .Distinct(),
    ];

    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled (Ctrl+C).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static void MapEndpoints(WebApplication app, RunCatalog catalog)
    {
        app.MapMethods("/", GetOrHead, () => Asset("index.html"));
        app.MapMethods("/{asset}", GetOrHead, (string asset) => Asset(asset));
        app.MapMethods("/api/runs", GetOrHead, () => Results.Json(
            catalog.List().Select(r => new { id = r.Id, name = r.Name, iso3 = r.Iso3, folder = Path.GetFileName(r.Path) }),
            RunListJson.Options));
        app.MapMethods("/runs/{id}/{**file}", GetOrHead, (string id, string? file) =>
        {
            RunFolder? run = catalog.Find(id);
            (string Path, string ContentType)? found = run is null ? null : RunFileResolver.Resolve(run, file);
            if (found is null)
            {
                return Results.NotFound();
            }

            var info = new FileInfo(found.Value.Path);
            var etag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue(
                $"\"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}\"");
            return Results.File(found.Value.Path, found.Value.ContentType, lastModified: info.LastWriteTimeUtc,
                entityTag: etag, enableRangeProcessing: true);
        });
    }

    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    private static IResult Asset(string name) =>
        PageAssets.Get(name) is { } a ? Results.Bytes(a.Bytes, a.ContentType) : Results.NotFound();

    private static class RunListJson
    {
        public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
    }
}
