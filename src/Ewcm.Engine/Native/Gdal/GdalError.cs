using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ewcm.Engine.Native.Gdal;

/// <summary>
/// Collects GDAL's error reports per thread and turns failed calls into <see cref="GdalException"/>.
/// </summary>
/// <remarks>
/// The handler replaces GDAL's default one, which prints to stderr: Ewcm reports problems through
/// exceptions instead. GDAL calls the handler on the thread that raised the error, so a
/// <see cref="ThreadStaticAttribute"/> record is exactly "what went wrong in my last call".
/// Usage: <see cref="Reset"/> before a call, then one of the <c>Check</c> methods after it.
/// </remarks>
internal static unsafe class GdalError
{
    private const int MaxKept = 4;

    [ThreadStatic]
    private static List<string>? t_failures;

    [ThreadStatic]
    private static string? t_lastWarning;

    [ThreadStatic]
    private static int t_lastNumber;

    /// <summary>Installs the handler process-wide; called once by <see cref="GdalLibrary"/>.</summary>
    internal static void Install() => GdalNative.CPLSetErrorHandler(&OnError);

    /// <summary>Forgets what the current thread recorded so far.</summary>
    internal static void Reset()
    {
        t_failures?.Clear();
        t_lastWarning = null;
        t_lastNumber = 0;
        GdalNative.CPLErrorReset();
    }

    /// <summary>True when GDAL reported a CE_Failure (or worse) on this thread since <see cref="Reset"/>.</summary>
    internal static bool HasFailure => t_failures is { Count: > 0 };

    /// <summary>GDAL's explanation of the last problem on this thread, never empty.</summary>
    internal static string LastMessage
    {
        get
        {
            if (t_failures is { Count: > 0 } failures)
            {
                return string.Join("; ", failures);
            }

            string? text = t_lastWarning ?? GdalNative.Utf8(GdalNative.CPLGetLastErrorMsg())?.Trim().TrimEnd('.');
            return string.IsNullOrWhiteSpace(text) ? "GDAL gave no further details" : text;
        }
    }

    /// <summary>An exception for a failed <paramref name="action"/> on <paramref name="path"/>.</summary>
    internal static GdalException Failure(string path, string action)
    {
        int number = t_lastNumber != 0 ? t_lastNumber : GdalNative.CPLGetLastErrorNo();
        return new GdalException(path, action, LastMessage, number);
    }

    /// <summary>Throws when a CPLErr result is CE_Failure or worse, or a failure was reported anyway.</summary>
    internal static void Check(CplErr result, string path, string action)
    {
        if (result >= CplErr.Failure || HasFailure)
        {
            throw Failure(path, action);
        }
    }

    /// <summary>Throws when an OGRErr result is not OGRERR_NONE.</summary>
    internal static void CheckOgr(int result, string path, string action)
    {
        if (result != OgrErr.None)
        {
            throw Failure(path, action);
        }
    }

    /// <summary>Throws (after disposing it) when GDAL returned a NULL owned handle.</summary>
    internal static T CheckHandle<T>(T handle, string path, string action)
        where T : SafeHandle
    {
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw Failure(path, action);
        }

        return handle;
    }

    /// <summary>Throws when GDAL returned a NULL borrowed pointer.</summary>
    internal static IntPtr CheckPointer(IntPtr pointer, string path, string action) =>
        pointer != IntPtr.Zero ? pointer : throw Failure(path, action);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnError(int errorClass, int errorNumber, byte* message)
    {
        // Never let a managed exception unwind into GDAL's C code.
        try
        {
            // Ewcm puts GDAL's text inside its own sentences: drop GDAL's final period.
            string text = (Marshal.PtrToStringUTF8((IntPtr)message) ?? "").Trim().TrimEnd('.');
            switch ((CplErr)errorClass)
            {
                case CplErr.Failure or CplErr.Fatal:
                    List<string> failures = t_failures ??= [];
                    if (failures.Count < MaxKept && !failures.Contains(text))
                    {
                        failures.Add(text);
                    }

                    t_lastNumber = errorNumber;
                    break;
                case CplErr.Warning:
                    t_lastWarning = text;
                    break;
                default:
                    break; // CE_Debug / CE_None: only seen with CPL_DEBUG=ON; nothing to keep.
            }
        }
#pragma warning disable CA1031 // see above: any exception here would crash the process.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
