namespace ConR.Bench.Soak;

/// <summary>One kind of request of the soak, e.g. "good" / "POST /v1/age", with the statuses that are the right answer.</summary>
/// <param name="Group">"good", "hostile" or "oversized".</param>
/// <param name="Name">What is sent, as the report names it.</param>
/// <param name="Expected">The statuses that are the right answer.</param>
internal sealed record TrafficKind(string Group, string Name, IReadOnlyList<int> Expected)
{
    public const string Good = "good";
    public const string Hostile = "hostile";
    public const string Oversized = "oversized";

    public bool IsExpected(int status) => Expected.Contains(status);
}

/// <summary>A request a good client sends on its keep-alive connection: the whole request, made once.</summary>
internal sealed record GoodRequest(TrafficKind Kind, byte[] Bytes);

/// <summary>
/// A hostile or oversized request, sent by <see cref="RawSender"/> on a new connection: the head, then the body in
/// pieces (already chunk-framed when the head says Transfer-Encoding: chunked).
/// </summary>
internal sealed record RawRequest(TrafficKind Kind, byte[] Head, byte[] Body);

/// <summary>What a request got when it got no status: negative "statuses", so they count in the same table.</summary>
internal static class Outcome
{
    /// <summary>The connection was closed or reset before a status line arrived.</summary>
    public const int ClosedWithoutAnswer = -1;

    /// <summary>No status line within the client's timeout.</summary>
    public const int NoAnswerInTime = -2;

    /// <summary>The first line of the answer was not an HTTP/1.x status line.</summary>
    public const int NotHttp = -3;

    public static string Describe(int status) => status switch
    {
        ClosedWithoutAnswer => "closed without answer",
        NoAnswerInTime => "no answer in time",
        NotHttp => "not HTTP",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
