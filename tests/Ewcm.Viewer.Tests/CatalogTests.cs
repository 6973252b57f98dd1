using System.CommandLine;
using Ewcm.Viewer.Server;

namespace Ewcm.Viewer.Tests;

/// <summary>Which folders are runs, and the errors for folders that are not.</summary>
[Collection(SampleRunGroup.Name)]
public sealed class CatalogTests
{
    private readonly SampleRunFixture _run;

    public CatalogTests(SampleRunFixture run) => _run = run;

    [Fact]
    public void A_batch_folder_gives_one_run_per_country_and_skips_temporary_folders()
    {
        string batch = Path.Combine(Path.GetTempPath(), "ewcm-viewer-batch-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (string name in new[] { "SLE", "LBR", ".SLE.tmp-1-abc" })
            {
                Directory.CreateDirectory(Path.Combine(batch, name));
                File.Copy(Path.Combine(_run.RunFolder, "summary.json"), Path.Combine(batch, name, "summary.json"));
            }

            File.WriteAllText(Path.Combine(batch, "batch_summary.csv"), "iso3,status\n");
            var catalog = new RunCatalog([batch, _run.RunFolder]);
            Assert.Equal(["LBR", "SLE", "SLE-2"], catalog.List().Select(r => r.Id));
            Assert.Equal(_run.RunFolder, catalog.Find("SLE-2")!.Path);
            Assert.All(catalog.List(), r => Assert.Equal("Sierra Leone", r.Name));
        }
        finally
        {
            Directory.Delete(batch, recursive: true);
        }
    }

    [Fact]
    public void A_run_whose_summary_cannot_be_read_is_listed_under_its_folder_name()
    {
        string root = Path.Combine(Path.GetTempPath(), "ewcm-viewer-broken-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "GIN"));
            File.WriteAllText(Path.Combine(root, "GIN", "summary.json"), "{ \"iso3\": \"GIN\", ");
            RunFolder run = Assert.Single(new RunCatalog([root]).List());
            Assert.Equal(("GIN", "GIN", ""), (run.Id, run.Name, run.Iso3));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_missing_folder_is_an_error_naming_it_and_the_fix()
    {
        string missing = Path.Combine(_run.OutputRoot, "no-such-folder");
        var e = Assert.Throws<ViewerException>(() => new RunCatalog([missing]));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Contains("--out folder of `ewcm run`", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_runs_is_an_error_naming_it_and_the_fix()
    {
        string empty = Path.Combine(Path.GetTempPath(), "ewcm-viewer-empty-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);
        try
        {
            var e = Assert.Throws<ViewerException>(() => new RunCatalog([empty]));
            Assert.Contains(empty, e.Message, StringComparison.Ordinal);
            Assert.Contains("no run found", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void Serve_exits_with_the_input_error_code_for_a_folder_without_runs()
    {
        string missing = Path.Combine(_run.OutputRoot, "no-such-folder");
        var error = new StringWriter();
        TextWriter saved = Console.Error;
        int code;
        try
        {
            Console.SetError(error);
            code = ServeCommand.Configure(new RootCommand()).Parse([missing, "--port", "0"]).Invoke();
        }
        finally
        {
            Console.SetError(saved);
        }

        Assert.Equal(2, code);
        Assert.Contains($"error: {missing}: no such folder", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_lan_it_listens_on_every_interface_and_names_only_network_addresses()
    {
        await using ViewerServer lan = await ViewerServer.StartAsync(new ViewerOptions([_run.OutputRoot], Port: 0, Lan: true));
        using var http = new HttpClient { BaseAddress = lan.LocalUrl };
        Assert.Contains("\"SLE\"", await http.GetStringAsync(new Uri("api/runs", UriKind.Relative)), StringComparison.Ordinal);
        Assert.False(lan.IsLoopbackOnly);
        Assert.All(lan.LanUrls(), u => Assert.False(System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(u.Host))));
    }

    [Fact]
    public async Task A_port_in_use_is_an_error_that_names_it_and_the_fix()
    {
        var e = await Assert.ThrowsAsync<ViewerException>(() => ViewerServer.StartAsync(new ViewerOptions([_run.OutputRoot], Port: _run.Server.Port)));
        Assert.Contains($"Cannot listen on port {_run.Server.Port}", e.Message, StringComparison.Ordinal);
        Assert.Contains("--port N", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_lan_it_listens_on_loopback_only()
    {
        await using ViewerServer local = await ViewerServer.StartAsync(new ViewerOptions([_run.OutputRoot], Port: 0));
        Assert.Equal("127.0.0.1", local.LocalUrl.Host);
        Assert.True(local.IsLoopbackOnly);
    }
}
