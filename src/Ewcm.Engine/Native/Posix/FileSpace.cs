using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Ewcm.Engine.Native.Posix;

/// <summary>
/// Linux's fallocate(2) range operations, which move a file's blocks instead of copying its bytes, and
/// sync_file_range(2)'s early writeback. Used only where they change nothing in the bytes: every caller has a
/// fallback for file systems and systems without them.
/// </summary>
internal static partial class FileSpace
{
    /// <summary>The unit of <see cref="TryInsertRange"/>: ext4's and XFS's usual block size.</summary>
    internal const int Block = 4096;

    private const int InsertRange = 0x20; // FALLOC_FL_INSERT_RANGE (linux/falloc.h)

    private const uint StartWrite = 2; // SYNC_FILE_RANGE_WRITE (linux/fs.h)

    /// <summary>
    /// Shifts everything from <paramref name="offset"/> on by <paramref name="length"/> bytes towards the end of
    /// the file, leaving a hole (read as zeros) in between, without copying data. False where the system or the
    /// file system cannot (not Linux; tmpfs, overlay or network file systems; a block size other than
    /// <see cref="Block"/>); the file is then unchanged.
    /// </summary>
    /// <remarks>Both numbers must be multiples of <see cref="Block"/> and <paramref name="offset"/> inside the file.</remarks>
    internal static bool TryInsertRange(SafeFileHandle file, long offset, long length)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!OperatingSystem.IsLinux() || offset % Block != 0 || length % Block != 0 || length <= 0)
        {
            return false;
        }

        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            return fallocate((int)file.DangerousGetHandle(), InsertRange, offset, length) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // a C library without fallocate (e.g. musl built without it): copy instead
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Asks Linux to start writing bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>)
    /// of the file to disk, without waiting (sync_file_range with SYNC_FILE_RANGE_WRITE): a hint, ignored
    /// elsewhere and on any error. Nothing is made durable by it.
    /// </summary>
    internal static void StartWriteback(SafeFileHandle file, long offset, long length)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!OperatingSystem.IsLinux() || length <= 0)
        {
            return;
        }

        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            _ = sync_file_range((int)file.DangerousGetHandle(), offset, length, StartWrite);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A hint only.
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int fallocate(int fd, int mode, long offset, long length);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int sync_file_range(int fd, long offset, long length, uint flags);
}
