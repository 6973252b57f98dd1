namespace Ewcm.Engine.Diagnostics;

/// <summary>
/// Root of every error Ewcm reports to a user. The message is complete on its own: it names the
/// file (and layer or key), the problem and what to do, so the CLI prints it as is.
/// </summary>
public class EwcmException : Exception
{
    public EwcmException() { }

    public EwcmException(string message) : base(message) { }

    public EwcmException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// An input (file, layer, field, setting) that cannot be used as given.
/// </summary>
public class InputException : EwcmException
{
    public InputException() { }

    public InputException(string message) : base(message) { }

    public InputException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Builds the standard "file [layer]: problem. fix" message.</summary>
    public static InputException For(string path, string? layer, string problem, string fix)
    {
        string where = layer is null ? path : $"{path}, layer '{layer}'";
        return new InputException($"{where}: {problem}. {fix}");
    }
}

/// <summary>A configuration file (country.yaml, manifest) with a wrong or unknown key or value.</summary>
public sealed class ConfigException : InputException
{
    public ConfigException() { }

    public ConfigException(string message) : base(message) { }

    public ConfigException(string message, Exception inner) : base(message, inner) { }
}
