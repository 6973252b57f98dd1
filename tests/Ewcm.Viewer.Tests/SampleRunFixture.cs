using Ewcm.Engine.Inputs;
using Ewcm.Engine.Pipeline;
using Ewcm.Viewer.Server;

namespace Ewcm.Viewer.Tests;

/// <summary>
/// The real Sierra Leone sample run by the engine into a temporary folder, served by the real viewer
/// server on a free port of 127.0.0.1. Shared by the viewer tests (the run takes a few seconds).
/// </summary>
public sealed class SampleRunFixture : IAsyncLifetime
{
    /// <summary>A file beside the run folder that no request may ever read.</summary>
    public const string SecretMarker = "EWCM-SECRET-OUTSIDE-THE-RUN-FOLDER";

    public string OutputRoot { get; } = Path.Combine(Path.GetTempPath(), "ewcm-viewer-test-" + Guid.NewGuid().ToString("N"));

    /// <summary>out/SLE/.</summary>
    public string RunFolder { get; private set; } = "";

    public string SecretFile => Path.Combine(OutputRoot, "secret.csv");

    public ViewerServer Server { get; private set; } = null!;

    public Uri BaseUrl => Server.LocalUrl;

    public async Task InitializeAsync()
    {
        CountryConfig config = CountryConfigLoader.Load(TestPaths.Sample("sle", "country.yaml"));
        RunResult result = CountryRun.Execute(config, new RunOptions(OutputRoot));
        RunFolder = result.OutputFolder;
        await File.WriteAllTextAsync(SecretFile, SecretMarker + "\n");
        Server = await ViewerServer.StartAsync(new ViewerOptions([OutputRoot], Port: 0));
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(OutputRoot, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class SampleRunGroup : ICollectionFixture<SampleRunFixture>
{
    public const string Name = "Sample run served";
}
