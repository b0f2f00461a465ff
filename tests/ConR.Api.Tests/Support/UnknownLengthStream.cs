namespace ConR.Api.Tests.Support;

/// <summary>A body whose length the client cannot know up front, so HttpClient sends it chunked (no Content-Length).</summary>
internal sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
{
    public override bool CanSeek => false;
}
