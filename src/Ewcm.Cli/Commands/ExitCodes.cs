namespace Ewcm.Cli.Commands;

/// <summary>Process exit codes of `ewcm`.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad input: a file, layer, field or setting that cannot be used (the message says which).</summary>
    public const int InputError = 2;

    /// <summary>A bug or an unexpected failure of the machine (disk full, out of memory).</summary>
    public const int InternalError = 70;
}
