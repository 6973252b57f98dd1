namespace Ewcm.Engine.Outputs.Cog;

/// <summary>Creation and best-effort deletion of the rasters' working files.</summary>
internal static class TemporaryFiles
{
    /// <summary>
    /// Creates <paramref name="path"/> anew for writing (an old file of that name is deleted first). Not with
    /// FileMode.Create: .NET truncates the file it opens to empty, and on ext4 a truncated file is written out
    /// to disk when it is closed (auto_da_alloc), a synchronous flush of everything written to it.
    /// </summary>
    internal static FileStream CreateNew(string path, int bufferSize)
    {
        File.Delete(path);
        return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize);
    }

    /// <summary>As <see cref="CreateNew"/>, a read-write handle with <paramref name="preallocationSize"/> bytes reserved on disk.</summary>
    internal static Microsoft.Win32.SafeHandles.SafeFileHandle CreateNewHandle(string path, long preallocationSize)
    {
        File.Delete(path);
        return File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.None, preallocationSize);
    }

    internal static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary file must not hide the real outcome.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
