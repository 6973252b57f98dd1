using System.Drawing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Ewcm.Viewer.Tests;

/// <summary>
/// Debian's headless Chromium driven through Debian's chromedriver (nothing is downloaded). The flags
/// keep Chromium off the network (the machine has none) and let it run as root in a container.
/// </summary>
public sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ChromeDriverPath = "/usr/bin/chromedriver";

    private readonly string _profile = Path.Combine(Path.GetTempPath(), "ewcm-chromium-" + Guid.NewGuid().ToString("N"));

    public Browser()
    {
        if (!File.Exists(ChromiumPath) || !File.Exists(ChromeDriverPath))
        {
            throw new InvalidOperationException(
                $"The viewer tests need Debian's Chromium and ChromeDriver ({ChromiumPath}, {ChromeDriverPath}): run ./test.sh (it installs them) or scripts/prerequisites.sh chromium.");
        }

        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--enable-unsafe-swiftshader",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-quic", "--window-size=1400,850", "--lang=en-GB", $"--user-data-dir={_profile}");
        ChromeDriverService service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath), Path.GetFileName(ChromeDriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(30);
    }

    public ChromeDriver Driver { get; }

    /// <summary>Opens the page afresh in English and waits until the run is loaded and drawn.</summary>
    public void Open(Uri url, string runId = "SLE")
    {
        Driver.Navigate().GoToUrl(url);
        Driver.ExecuteScript("localStorage.clear();");
        Driver.Navigate().Refresh();
        WaitUntil(d => (string?)((IJavaScriptExecutor)d).ExecuteScript("return document.body.dataset.ready") == runId, $"the run {runId} to load");
    }

    public void WaitUntil(Func<IWebDriver, bool> condition, string what)
    {
        var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(30)) { Message = $"Waited 30 s for {what}." };
        wait.Until(condition);
    }

    /// <summary>Waits until the map has drawn everything visible (OpenLayers' rendercomplete).</summary>
    public void WaitForMap() =>
        Driver.ExecuteAsyncScript("const done = arguments[arguments.length - 1]; const m = window.ewcmViewer.map; m.once('rendercomplete', () => done(true)); m.render();");

    /// <summary>Clicks the map where the lon/lat point is drawn (a real mouse click at that pixel).</summary>
    public void ClickMapAt(double lon, double lat)
    {
        IWebElement map = Driver.FindElement(By.Id("map"));
        var pixel = (IReadOnlyList<object>)Driver.ExecuteScript("return window.ewcmViewer.pixelOf(arguments[0], arguments[1]);", lon, lat)!;
        double x = Convert.ToDouble(pixel[0], System.Globalization.CultureInfo.InvariantCulture);
        double y = Convert.ToDouble(pixel[1], System.Globalization.CultureInfo.InvariantCulture);
        Size size = map.Size;
        Assert.InRange(x, 1, size.Width - 1);
        Assert.InRange(y, 1, size.Height - 1);
        // Selenium's offsets are from the element's centre.
        new OpenQA.Selenium.Interactions.Actions(Driver)
            .MoveToElement(map, (int)Math.Round(x - (size.Width / 2.0)), (int)Math.Round(y - (size.Height / 2.0)))
            .Click()
            .Perform();
    }

    /// <summary>
    /// The rendered text of the first element matching <paramref name="cssSelector"/>. Found again if the page
    /// replaced the element between finding and reading it (the info panel is redrawn when the map settles).
    /// </summary>
    public string Text(string cssSelector)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return Driver.FindElement(By.CssSelector(cssSelector)).Text;
            }
            catch (StaleElementReferenceException) when (attempt < 5)
            {
            }
        }
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        if (Directory.Exists(_profile))
        {
            Directory.Delete(_profile, recursive: true);
        }
    }
}
