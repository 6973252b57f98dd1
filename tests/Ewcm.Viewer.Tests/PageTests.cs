using System.Globalization;
using System.Text.Json;
using Ewcm.Engine.Inputs;
using NetTopologySuite.Geometries;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace Ewcm.Viewer.Tests;

/// <summary>The page in a real headless Chromium, on the real sample run.</summary>
[Collection(SampleRunGroup.Name)]
public sealed class PageTests : IClassFixture<PageTests.BrowserFixture>
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    private readonly SampleRunFixture _run;
    private readonly Browser _browser;

    private readonly ITestOutputHelper _output;

    public PageTests(SampleRunFixture run, BrowserFixture browser, ITestOutputHelper output)
    {
        _run = run;
        _browser = browser.Browser;
        _output = output;
    }

    public sealed class BrowserFixture : IDisposable
    {
        public Browser Browser { get; } = new();

        public void Dispose() => Browser.Dispose();
    }

    [Fact]
    public void Loads_the_sample_with_its_key_figures_and_credits_and_saves_a_screenshot()
    {
        _browser.Open(_run.BaseUrl);
        // Reported, not asserted (no timed tests): from navigation start to the run drawn, in this browser.
        _output.WriteLine($"page ready after {_browser.Driver.ExecuteScript("return document.body.dataset.readyMs")} ms");
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_run.RunFolder, "summary.json")));
        JsonElement national = summary.RootElement.GetProperty("national");
        Assert.Equal(Count(national.GetProperty("population").GetDouble(), English), _browser.Text("#summary tr[data-key='population'] td"));
        Assert.Contains(Count(national.GetProperty("uncovered").GetDouble(), English), _browser.Text("#summary tr[data-key='uncovered']"), StringComparison.Ordinal);
        string credits = _browser.Text("#credits");
        foreach (JsonElement credit in summary.RootElement.GetProperty("credits").EnumerateArray())
        {
            Assert.Contains(credit.GetString()!, credits, StringComparison.Ordinal);
        }

        Assert.Equal("Sierra Leone (SLE)", _browser.Driver.ExecuteScript("const s = document.getElementById('run-picker'); return s.options[s.selectedIndex].text;"));
        // The sample run has blank zones and a hazard: both panels show, the hazard with the run's figures.
        Assert.True(File.Exists(Path.Combine(_run.RunFolder, "blank_zones.geojson")));
        Assert.True(_browser.Driver.FindElement(By.Id("zones-panel")).Displayed);
        Assert.True(_browser.Driver.FindElement(By.Id("hazards-panel")).Displayed);
        JsonElement hazard = summary.RootElement.GetProperty("hazards")[0];
        string hazardRow = _browser.Text($"#hazards tr[data-key='{hazard.GetProperty("name").GetString()}']");
        Assert.Contains(Count(hazard.GetProperty("people_exposed").GetDouble(), English), hazardRow, StringComparison.Ordinal);
        Assert.Contains(Count(hazard.GetProperty("people_exposed_uncovered").GetDouble(), English), hazardRow, StringComparison.Ordinal);

        _browser.WaitForMap();
        string shot = Path.Combine(TestPaths.Artifacts, "viewer-sle.png");
        _browser.Driver.GetScreenshot().SaveAsFile(shot);
        Assert.True(new FileInfo(shot).Length > 10_000);
    }

    [Fact]
    public void Layers_toggle_on_the_map_and_in_the_legend()
    {
        _browser.Open(_run.BaseUrl);
        foreach ((string layer, bool initially) in new[] { ("uncovered", true), ("coverage_2G", false), ("coverage_4G", false), ("choropleth", true), ("boundaries", true) })
        {
            IWebElement box = _browser.Driver.FindElement(By.Id($"layer-{layer}"));
            Assert.Equal(initially, box.Selected);
            Assert.Equal(initially, LayerVisible(layer));
            _browser.WaitForMap();
            byte[] before = MapPixels();
            box.Click();
            Assert.Equal(!initially, LayerVisible(layer));
            Assert.Equal(!initially, _browser.Driver.FindElements(By.Id($"legend-{layer}")).Count == 1);
            _browser.WaitForMap();
            Assert.NotEqual(before, MapPixels());
        }
    }

    [Fact]
    public void Clicking_an_admin_unit_shows_its_numbers_from_admin_stats()
    {
        _browser.Open(_run.BaseUrl);
        HideZones();
        CheckUnits("district", 4);
        _browser.WaitForMap();
        _browser.Driver.GetScreenshot().SaveAsFile(Path.Combine(TestPaths.Artifacts, "viewer-sle-district.png"));

        // A finer level: its boundaries load when it is chosen.
        _browser.Driver.FindElement(By.CssSelector("#admin-level option[value='2']")).Click();
        _browser.WaitUntil(d => Convert.ToInt32(((IJavaScriptExecutor)d).ExecuteScript("return window.ewcmViewer.layers().choropleth.getSource().getFeatures().length;"), CultureInfo.InvariantCulture) == 167,
            "the chiefdoms to load");
        CheckUnits("chiefdom", 40);
    }

    private void CheckUnits(string level, int every)
    {
        Dictionary<string, string[]> rows = ReadCsv(Path.Combine(_run.RunFolder, $"admin_stats_{level}.csv"), out string[] header);
        VectorLayerData units = VectorSource.ReadLayer(Path.Combine(_run.RunFolder, $"admin_units_{level}.geojson"), null, ["admin_id", "name"], null);
        foreach (VectorFeature unit in units.Features.Where((_, i) => i % every == 0))
        {
            string id = unit.Attributes["admin_id"]!;
            Point inside = unit.Geometry.InteriorPoint;
            _browser.ClickMapAt(inside.X, inside.Y);
            _browser.WaitUntil(d => d.FindElement(By.Id("info")).GetDomAttribute("data-id") == id, $"the numbers of {id}");
            string[] row = rows[id];
            Assert.Equal(unit.Attributes["name"], _browser.Text("#info h3"));
            foreach (string column in new[] { "pop_total", "pop_uncovered" })
            {
                Assert.Equal(Count(Value(row, header, column), English), _browser.Text($"#info tr[data-key='{column}'] td"));
            }

            foreach (string column in new[] { "pop_2g", "pop_3g", "pop_4g" })
            {
                Assert.StartsWith(Count(Value(row, header, column), English) + " (", _browser.Text($"#info tr[data-key='{column}'] td"), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void The_French_switch_changes_every_label_and_the_number_format()
    {
        _browser.Open(_run.BaseUrl);
        Dictionary<string, string> english = Labels();
        string population = _browser.Text("#summary tr[data-key='population'] td");
        _browser.Driver.FindElement(By.Id("lang-fr")).Click();
        Dictionary<string, string> french = Labels();
        Assert.Equal(english.Keys, french.Keys);
        foreach (string key in english.Keys.Where(k => k != "north"))
        {
            Assert.NotEqual(english[key], french[key]);
        }

        Assert.Equal("fr", _browser.Driver.FindElement(By.TagName("html")).GetDomAttribute("lang"));
        Assert.Empty((IReadOnlyCollection<object>)_browser.Driver.ExecuteScript("return window.ewcmViewer.missingTranslations();")!);
        Assert.StartsWith("Calculé le ", _browser.Text("#run-date"), StringComparison.Ordinal);
        Assert.StartsWith("Taux de population non couverte", _browser.Text("#legend-choropleth h3"), StringComparison.Ordinal);
        Assert.Equal("Couches", french["layers"]);
        Assert.Equal("Chiffres clés", french["summary"]);
        Assert.Equal("Population non couverte (par maille)", _browser.Driver.FindElement(By.CssSelector("label:has(#layer-uncovered)")).Text);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_run.RunFolder, "summary.json")));
        double total = summary.RootElement.GetProperty("national").GetProperty("population").GetDouble();
        Assert.Equal(Count(total, English), population);
        Assert.Equal(Count(total, French), _browser.Text("#summary tr[data-key='population'] td"));
        Assert.Contains('\u202F', Count(total, French));

        _browser.WaitForMap();
        _browser.Driver.GetScreenshot().SaveAsFile(Path.Combine(TestPaths.Artifacts, "viewer-sle-fr.png"));
        _browser.Driver.FindElement(By.Id("lang-en")).Click();
        Assert.Equal(english, Labels());
        Assert.StartsWith("Computed on ", _browser.Text("#run-date"), StringComparison.Ordinal);
    }

    [Fact]
    public void Clicking_a_blank_zone_shows_the_people_of_blank_zones_csv()
    {
        string csv = Path.Combine(_run.RunFolder, "blank_zones.csv");
        Dictionary<string, string[]> zones = ReadCsv(csv, out string[] header);
        VectorLayerData features = VectorSource.ReadLayer(Path.Combine(_run.RunFolder, "blank_zones.geojson"), null, ["rank", "zone_id", "people"], null);
        _browser.Open(_run.BaseUrl);

        // The table lists the zones by rank; a row zooms the map to its zone.
        IReadOnlyList<IWebElement> tableRows = _browser.Driver.FindElements(By.CssSelector("#zones tr[data-zone-id]"));
        Assert.NotEmpty(tableRows);
        foreach (int pick in new[] { 0, Math.Min(2, tableRows.Count - 1) })
        {
            IWebElement tr = _browser.Driver.FindElements(By.CssSelector("#zones tr[data-zone-id]"))[pick];
            string zoneId = tr.GetDomAttribute("data-zone-id")!;
            string[] row = zones.Values.Single(r => r[Array.IndexOf(header, "zone_id")] == zoneId);
            Assert.Equal((pick + 1).ToString(CultureInfo.InvariantCulture), row[Array.IndexOf(header, "rank")]);
            tr.Click();
            _browser.WaitForMap();

            // Then a real click on the zone shows its people, as blank_zones.csv has them.
            _browser.Driver.ExecuteScript("window.ewcmViewer.state.selection = null;");
            VectorFeature zone = features.Features.Single(f => f.Attributes["zone_id"] == zoneId);
            Point inside = zone.Geometry.InteriorPoint;
            _browser.ClickMapAt(inside.X, inside.Y);
            _browser.WaitUntil(d => d.FindElement(By.Id("info")).GetDomAttribute("data-kind") == "zone"
                && d.FindElement(By.Id("info")).GetDomAttribute("data-id") == zoneId, $"the numbers of zone {zoneId}");
            Assert.Equal(Count(Value(row, header, "people"), English), _browser.Text("#info tr[data-key='people'] td"));
        }
    }

    private bool LayerVisible(string layer) =>
        (bool)_browser.Driver.ExecuteScript($"return window.ewcmViewer.layers()['{layer}'].getVisible();")!;

    private byte[] MapPixels() => ((ITakesScreenshot)_browser.Driver.FindElement(By.Id("map"))).GetScreenshot().AsByteArray;

    private void HideZones()
    {
        if (_browser.Driver.FindElements(By.Id("layer-zones")) is [IWebElement zones] && zones.Selected)
        {
            zones.Click();
        }
    }

    private Dictionary<string, string> Labels() =>
        _browser.Driver.FindElements(By.CssSelector("[data-i18n]"))
            .GroupBy(e => e.GetDomAttribute("data-i18n")!)
            .ToDictionary(g => g.Key, g => g.First().GetDomProperty("textContent")!);

    private static string Count(double value, CultureInfo culture) => Math.Round(value, MidpointRounding.AwayFromZero).ToString("N0", culture);

    private static double Value(string[] row, string[] header, string column) =>
        double.Parse(row[Array.IndexOf(header, column)], CultureInfo.InvariantCulture);

    /// <summary>Rows by their first column (admin_id, or zone_id for zones); the sample's names hold no commas or quotes.</summary>
    private static Dictionary<string, string[]> ReadCsv(string path, out string[] header)
    {
        string[] lines = File.ReadAllLines(path);
        header = lines[0].Split(',');
        int key = Array.IndexOf(header, "zone_id") is int z and >= 0 ? z : 0;
        return lines.Skip(1).Select(l => l.Split(',')).ToDictionary(r => r[key]);
    }
}
