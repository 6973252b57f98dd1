using System.Security.Cryptography;
using System.Text;
using Ewcm.Engine.Inputs;
using Xunit;

namespace Ewcm.Engine.Tests.Pipeline;

public sealed class FileChecksumTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ewcm-checksum-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_short_file_has_the_standard_SHA256()
    {
        string path = Path.Combine(_folder, "abc.txt");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("abc"));

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", FileChecksum.Sha256Hex(path));
    }

    [Theory]
    [InlineData(0)]
    [InlineData((1 << 20) - 1)]
    [InlineData(1 << 20)]
    [InlineData((5 << 20) / 2)]
    public void Files_read_in_chunks_hash_as_a_whole(int length)
    {
        byte[] bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        string path = Path.Combine(_folder, $"{length}.bin");
        File.WriteAllBytes(path, bytes);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), FileChecksum.Sha256Hex(path));
    }
}
