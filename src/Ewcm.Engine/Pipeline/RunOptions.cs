namespace Ewcm.Engine.Pipeline;

/// <summary>Settings of one run, validated on construction.</summary>
public sealed record RunOptions
{
    public RunOptions(string outputRoot, int threads = 0, int bandHeight = 256, bool writeRasters = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        ArgumentOutOfRangeException.ThrowIfLessThan(bandHeight, 1);
        OutputRoot = outputRoot;
        // 0 means every core: the overlay scales with them and the outputs do not depend on it.
        Threads = threads == 0 ? Environment.ProcessorCount : threads;
        BandHeight = bandHeight;
        WriteRasters = writeRasters;
    }

    /// <summary>Folder that receives &lt;ISO3&gt;/.</summary>
    public string OutputRoot { get; }

    public int Threads { get; }

    /// <summary>Rows per band: the unit of work and of memory (a band of population stays in memory per thread).</summary>
    public int BandHeight { get; }

    /// <summary>Write the COG outputs (uncovered population, coverage per level).</summary>
    public bool WriteRasters { get; }
}
