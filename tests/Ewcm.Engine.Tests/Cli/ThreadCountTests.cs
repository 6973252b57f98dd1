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
}
