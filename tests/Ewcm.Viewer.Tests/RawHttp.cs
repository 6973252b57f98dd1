using System.Net.Sockets;
using System.Text;

namespace Ewcm.Viewer.Tests;

/// <summary>
/// HTTP/1.1 requests written byte for byte, so a request target reaches the server exactly as given
/// (HttpClient would normalise '..' and percent-encoding away before sending).
/// </summary>
internal static class RawHttp
{
    public static async Task<(int Status, string Headers, string Body)> SendAsync(Uri server, string method, string target, string? extraHeaders = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using NetworkStream stream = client.GetStream();
        string request = $"{method} {target} HTTP/1.1\r\nHost: {server.Host}:{server.Port}\r\nConnection: close\r\n{extraHeaders ?? ""}Content-Length: 0\r\n\r\n";
        byte[] bytes = Encoding.Latin1.GetBytes(request);
        await stream.WriteAsync(bytes);
        using var response = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await stream.CopyToAsync(response, timeout.Token);
        string text = Encoding.Latin1.GetString(response.ToArray());
        int split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string head = split < 0 ? text : text[..split];
        string body = split < 0 ? "" : text[(split + 4)..];
        string[] statusLine = head.Split("\r\n")[0].Split(' ');
        return (int.Parse(statusLine[1], System.Globalization.CultureInfo.InvariantCulture), head, body);
    }
}
