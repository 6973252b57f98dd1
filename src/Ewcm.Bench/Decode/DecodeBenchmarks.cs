using BenchmarkDotNet.Attributes;
using Ewcm.Bench.Data;
using Ewcm.Bench.Reporting;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Pipeline;

namespace Ewcm.Bench.Decode;

/// <summary>
/// The decode floor: open the population raster and read it band by band as a run reads it (same
/// reader, band height 256 and worker threads: <see cref="DecodeFloor"/>, i.e. `ewcm floor`), summing
/// the valid cells. The raster is a WorldPop-like GeoTIFF (Float32, DEFLATE, 256 × 256 tiles, nodata
/// -99999) written into a temporary folder by the setup. Throughput is per cell of the raster.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CellThroughputConfig))]
public class DecodeBenchmarks : ICellCounted
{
    private const int Tile = 256;
    private string _folder = "";
    private PopulationInput _input = null!;

    /// <summary>Side of the square raster, in cells.</summary>
    [Params(2048, 4096)]
    public int Size { get; set; }

    /// <summary>Decoding threads (each with its own GDAL dataset).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    public long CellsPerInvoke => (long)Size * Size;

    [GlobalSetup]
    public void Setup()
    {
        float[] values = SyntheticCountry.PopulationValues(Size, new Random(11));
        _folder = Directory.CreateTempSubdirectory("ewcm-bench-decode-").FullName;
        try
        {
            string path = Path.Combine(_folder, "population.tif");
            PopulationRaster.Write(path, Size, Size, values, Tile);
            Console.WriteLine($"// population.tif: {new FileInfo(path).Length / 1048576.0:F1} MiB for {4.0 * Size * Size / 1048576:F1} MiB of Float32");
            _input = new PopulationInput(path, PopulationKind.Counts, NoData: null);
            Validation.CheckDecode(Decode(), values);
        }
        catch
        {
            Cleanup(); // leave no temporary files, whether or not GlobalCleanup follows a failed setup
            throw;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_folder.Length > 0)
        {
            Directory.Delete(_folder, recursive: true);
            _folder = "";
        }
    }

    [Benchmark]
    public DecodeFloor.Result Decode() => DecodeFloor.Measure(_input, Threads);
}
