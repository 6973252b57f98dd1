namespace Ewcm.Engine.Tests.Cli;

/// <summary>The thread count changes the speed of `ewcm run`, never its results.</summary>
/// <remarks>Not in <see cref="ConsoleCapture"/>: it checks files only, so it can run beside other tests.</remarks>
public class ThreadCountTests
{
    [Fact]
    public void One_and_two_threads_write_byte_identical_tables()
    {
        string root = Path.Combine(Path.GetTempPath(), "ewcm-threads-" + Guid.NewGuid().ToString("N"));
        try
        {
            string config = TestPaths.Data("bench-small", "country.yaml");
            string one = Path.Combine(root, "one"), two = Path.Combine(root, "two");

            CliOutcome first = EwcmCli.Run("run", config, "--out", one, "--threads", "1", "--no-rasters");
            CliOutcome second = EwcmCli.Run("run", config, "--out", two, "--threads", "2", "--no-rasters");

            Assert.True(first.ExitCode == 0, first.Errors);
            Assert.True(second.ExitCode == 0, second.Errors);
            foreach (string file in new[] { "summary.json", "admin_stats.csv" })
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(one, "XBS", file)), File.ReadAllBytes(Path.Combine(two, "XBS", file)));
            }
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    [Fact]
    public void Bands_across_tile_rows_write_the_same_rasters_as_bands_within_them()
    {
        // Bands of 256 rows lie within the rasters' 512-row tile rows and are written in place; bands of 100
        // rows straddle them (rows 500-599) and are copied in. Same files either way, on 1 or 2 threads.
        string root = Path.Combine(Path.GetTempPath(), "ewcm-bands-" + Guid.NewGuid().ToString("N"));
        try
        {
            var config = Ewcm.Engine.Inputs.CountryConfigLoader.Load(TestPaths.Data("bench-small", "country.yaml"));
            string inPlace = Ewcm.Engine.Pipeline.CountryRun.Execute(config, new Ewcm.Engine.Pipeline.RunOptions(Path.Combine(root, "a"), threads: 1, bandHeight: 256)).OutputFolder;
            string copied = Ewcm.Engine.Pipeline.CountryRun.Execute(config, new Ewcm.Engine.Pipeline.RunOptions(Path.Combine(root, "b"), threads: 2, bandHeight: 100)).OutputFolder;
            foreach (string file in new[] { "uncovered_population.tif", "coverage_2g.tif", "coverage_3g.tif", "coverage_4g.tif", "admin_stats.csv" })
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(inPlace, file)), File.ReadAllBytes(Path.Combine(copied, file)));
            }
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
