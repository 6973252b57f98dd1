using System.Reflection;

namespace Ewcm.Engine;

/// <summary>Version of the engine, recorded in every output.</summary>
public static class EngineInfo
{
    public static string Version { get; } =
        typeof(EngineInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
