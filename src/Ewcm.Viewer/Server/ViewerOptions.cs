namespace Ewcm.Viewer.Server;

/// <summary>What `ewcm serve` serves and where.</summary>
/// <param name="Folders">The --out folders of `ewcm run` or `ewcm batch`, or run folders themselves.</param>
/// <param name="Port">TCP port; 0 picks a free one.</param>
/// <param name="Lan">Listen on every interface (a workshop network) instead of this machine only.</param>
public sealed record ViewerOptions(IReadOnlyList<string> Folders, int Port = ViewerOptions.DefaultPort, bool Lan = false)
{
    /// <summary>The port used when none is given.</summary>
    public const int DefaultPort = 8150;
}
