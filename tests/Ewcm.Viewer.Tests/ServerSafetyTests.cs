using System.Net;
using System.Net.Http.Headers;

namespace Ewcm.Viewer.Tests;

/// <summary>The server over real HTTP: serves the run files (with ranges), nothing outside them, and never writes.</summary>
[Collection(SampleRunGroup.Name)]
public sealed class ServerSafetyTests
{
    private readonly SampleRunFixture _run;

    public ServerSafetyTests(SampleRunFixture run) => _run = run;

    [Fact]
    public async Task Serves_the_run_files_and_byte_ranges_of_the_rasters()
    {
        using var http = new HttpClient { BaseAddress = _run.BaseUrl };
        string summary = await http.GetStringAsync(new Uri("runs/SLE/summary.json", UriKind.Relative));
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(_run.RunFolder, "summary.json")), summary);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("runs/SLE/coverage_2g.tif", UriKind.Relative));
        request.Headers.Range = new RangeHeaderValue(1000, 1999);
        using HttpResponseMessage response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        byte[] part = await response.Content.ReadAsByteArrayAsync();
        byte[] file = await File.ReadAllBytesAsync(Path.Combine(_run.RunFolder, "coverage_2g.tif"));
        Assert.Equal(file.AsSpan(1000, 1000).ToArray(), part);
        Assert.Equal("image/tiff", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Lists_the_run_with_its_name()
    {
        using var http = new HttpClient { BaseAddress = _run.BaseUrl };
        string runs = await http.GetStringAsync(new Uri("api/runs", UriKind.Relative));
        Assert.Equal("""[{"id":"SLE","name":"Sierra Leone","iso3":"SLE","folder":"SLE"}]""", runs);
    }

    [Theory]
    [InlineData("/runs/SLE/../secret.csv")]
    [InlineData("/runs/SLE/../../../../../../etc/passwd")]
    [InlineData("/runs/SLE/%2e%2e/secret.csv")]
    [InlineData("/runs/SLE/%2E%2E%2Fsecret.csv")]
    [InlineData("/runs/SLE/.%2e/secret.csv")]
    [InlineData("/runs/SLE/%252e%252e%252fsecret.csv")]
    [InlineData("/runs/SLE/%252e%252e/secret.csv")]
    [InlineData("/runs/SLE/..%5csecret.csv")]
    [InlineData("/runs/SLE/..\\secret.csv")]
    [InlineData("/runs/SLE/%5c..%5csecret.csv")]
    [InlineData("/runs/SLE//etc/passwd")]
    [InlineData("/runs/SLE/%2fetc%2fpasswd")]
    [InlineData("/runs/SLE/%2Ftmp%2Fsecret.csv")]
    [InlineData("/runs/SLE/C:%5cWindows%5cwin.ini")]
    [InlineData("/runs/%2e%2e/secret.csv")]
    [InlineData("/runs/..%2f/secret.csv")]
    [InlineData("/../secret.csv")]
    [InlineData("/secret.csv")]
    [InlineData("/runs/SLE/link_outside.csv")]
    [InlineData("/runs/SLE/link_chain.csv")]
    [InlineData("/runs/SLE/.SLE.tmp-1/summary.json")]
    [InlineData("/runs/SLE/run_log.json%00.csv")]
    public async Task Never_serves_a_file_outside_the_run_folders(string target)
    {
        PlantLinks();
        (int status, _, string body) = await RawHttp.SendAsync(_run.BaseUrl, "GET", target);
        Assert.NotEqual(200, status);
        Assert.DoesNotContain(SampleRunFixture.SecretMarker, body, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hidden_temporary_run_folder_is_never_served()
    {
        // A run in progress (OutputFolder's hidden temporary folder) with a complete-looking summary.json.
        string hidden = Path.Combine(_run.OutputRoot, ".SLE.tmp-1");
        Directory.CreateDirectory(hidden);
        File.WriteAllText(Path.Combine(hidden, "summary.json"), SampleRunFixture.SecretMarker);
        try
        {
            foreach (string target in new[] { "/runs/.SLE.tmp-1/summary.json", "/runs/%2eSLE.tmp-1/summary.json" })
            {
                (int status, _, string body) = await RawHttp.SendAsync(_run.BaseUrl, "GET", target);
                Assert.NotEqual(200, status);
                Assert.DoesNotContain(SampleRunFixture.SecretMarker, body, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(hidden, recursive: true);
        }
    }

    [Fact]
    public async Task Absolute_paths_in_the_request_target_are_refused()
    {
        (int status, _, string body) = await RawHttp.SendAsync(_run.BaseUrl, "GET", $"/runs/SLE/{Uri.EscapeDataString(_run.SecretFile)}");
        Assert.NotEqual(200, status);
        Assert.DoesNotContain(SampleRunFixture.SecretMarker, body, StringComparison.Ordinal);

        (status, _, body) = await RawHttp.SendAsync(_run.BaseUrl, "GET", $"http://127.0.0.1:{_run.Server.Port}{_run.SecretFile}");
        Assert.NotEqual(200, status);
        Assert.DoesNotContain(SampleRunFixture.SecretMarker, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_to_a_file_of_the_same_run_is_served()
    {
        PlantLinks();
        (int status, _, string body) = await RawHttp.SendAsync(_run.BaseUrl, "GET", "/runs/SLE/link_inside.csv");
        Assert.Equal(200, status);
        Assert.StartsWith("admin_id,name,pop_total", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PUT", "/runs/SLE/new.csv")]
    [InlineData("POST", "/runs/SLE/summary.json")]
    [InlineData("DELETE", "/runs/SLE/summary.json")]
    [InlineData("PATCH", "/runs/SLE/admin_stats_province.csv")]
    public async Task Refuses_every_method_that_could_write_and_the_folder_stays_as_it_was(string method, string target)
    {
        PlantLinks();
        string[] before = Snapshot();
        (int status, string headers, _) = await RawHttp.SendAsync(_run.BaseUrl, method, target);
        Assert.Equal(405, status);
        Assert.Contains("Allow: GET, HEAD", headers, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    /// <summary>Links inside the run folder: one to the secret beside it, one through a chain, one to a run file.</summary>
    private void PlantLinks()
    {
        lock (_run)
        {
            string outside = Path.Combine(_run.RunFolder, "link_outside.csv");
            if (File.Exists(outside) || new FileInfo(outside).LinkTarget is not null)
            {
                return;
            }

            File.CreateSymbolicLink(outside, "../secret.csv");
            File.CreateSymbolicLink(Path.Combine(_run.RunFolder, "link_chain.csv"), "link_outside.csv");
            File.CreateSymbolicLink(Path.Combine(_run.RunFolder, "link_inside.csv"), "admin_stats_province.csv");
        }
    }

    private string[] Snapshot() =>
    [
        .. Directory.GetFileSystemEntries(_run.OutputRoot, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(p => new FileInfo(p))
            .Select(f => $"{f.FullName}|{(f.Attributes.HasFlag(FileAttributes.Directory) ? 0 : f.Length)}|{f.LastWriteTimeUtc.Ticks}"),
    ];
}
