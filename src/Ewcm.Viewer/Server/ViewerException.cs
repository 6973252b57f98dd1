namespace Ewcm.Viewer.Server;

/// <summary>The viewer cannot start: the message names the folder or setting and the fix.</summary>
public sealed class ViewerException : Exception
{
    public ViewerException(string message) : base(message)
    {
    }

    public ViewerException(string message, Exception inner) : base(message, inner)
    {
    }

    public ViewerException()
    {
    }
}
