using System.Globalization;
using System.Text.RegularExpressions;

namespace Ewcm.Engine.Tests.Cli;

/// <summary>
/// Tests that capture the CLI's stderr. Console.Error is one per process, so they run alone: one at a
/// time and never beside another collection.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCapture
{
    public const string Name = "ewcm CLI (captures stderr)";
}

/// <summary>What `ewcm` returned and printed on stderr.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Errors">stderr without colours, its lines joined back (see <see cref="EwcmCli.Run"/>).</param>
internal sealed record CliOutcome(int ExitCode, string Errors)
{
    /// <summary>
    /// True when stderr holds <paramref name="fragment"/>, ignoring white space: where Spectre.Console wraps
    /// a line it sometimes keeps the space and sometimes drops it ("could not read" → "could notread").
    /// </summary>
    public bool Says(string fragment) => EwcmCli.Squeeze(Errors).Contains(EwcmCli.Squeeze(fragment), StringComparison.Ordinal);
}

/// <summary>Runs `ewcm` in-process through <see cref="global::Ewcm.Cli.Program.Main"/>.</summary>
internal static partial class EwcmCli
{
    private static readonly Lock Gate = new();

    /// <summary>
    /// Runs the CLI with <paramref name="args"/>. Spectre.Console hard-wraps stderr at 80 columns when it is
    /// not a terminal (even inside paths), so the lines are joined back.
    /// </summary>
    public static CliOutcome Run(params string[] args)
    {
        lock (Gate)
        {
            TextWriter original = Console.Error;
            using var errors = new StringWriter(CultureInfo.InvariantCulture);
            Console.SetError(errors);
            int code;
            try
            {
                code = global::Ewcm.Cli.Program.Main(args);
            }
            finally
            {
                Console.SetError(original);
            }

            string text = AnsiEscape().Replace(errors.ToString(), string.Empty);
            return new CliOutcome(code, text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal));
        }
    }

    /// <summary><paramref name="text"/> without any white space.</summary>
    public static string Squeeze(string text) => WhiteSpace().Replace(text, string.Empty);

    [GeneratedRegex(@"\x1B\[[0-9;]*m")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
