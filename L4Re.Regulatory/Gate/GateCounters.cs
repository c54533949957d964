namespace L4Re.Regulatory.Gate;

/// <summary>Counters of the gate's decisions; thread-safe, allocation-free.</summary>
public sealed class GateCounters
{
    private readonly long[] _byReason = new long[GateReasonText.Count];
    private long _accepted;
    private long _clamped;
    private long _refused;

    /// <summary>All decisions.</summary>
    public long Total => Accepted + Clamped + Refused;

    /// <summary>Accepted requests.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Clamped requests.</summary>
    public long Clamped => Interlocked.Read(ref _clamped);

    /// <summary>Refused requests (including attempts to change the country).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Decisions with <paramref name="reason"/>.</summary>
    public long ByReason(GateReason reason) => Interlocked.Read(ref _byReason[(int)reason]);

    internal void Count(GateVerdict verdict, GateReason reason)
    {
        switch (verdict)
        {
            case GateVerdict.Accept: Interlocked.Increment(ref _accepted); break;
            case GateVerdict.Clamp: Interlocked.Increment(ref _clamped); break;
            default: Interlocked.Increment(ref _refused); break;
        }
        Interlocked.Increment(ref _byReason[(int)reason]);
    }
}
