using Ewcm.Engine.Overlay;

namespace Ewcm.Engine.Pipeline;

/// <summary>What a run computed, ready for the writers.</summary>
public sealed record RunResult(
    OverlayModel Model,
    BandResult Totals,
    IReadOnlyList<string> Warnings,
    string OutputFolder,
    IReadOnlyDictionary<string, double> StageSeconds);
