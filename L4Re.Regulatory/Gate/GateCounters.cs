namespace L4Re.Regulatory.Gate;

/// <summary>
/// Counters of the gate's decisions. Written only by the gate's own thread (decisions are serialised, one radio
/// one owner), so increments are plain stores; any thread may read them (64-bit reads are atomic on the
/// supported platforms). Allocation-free.
/// </summary>
public sealed class GateCounters
{
    private readonly long[] _byReason = new long[GateReasonText.Count];
    private long _accepted;
    private long _clamped;
    private long _refused;

    /// <summary>All decisions.</summary>
    public long Total => Accepted + Clamped + Refused;

    /// <summary>Accepted requests.</summary>
    public long Accepted => Volatile.Read(ref _accepted);

    /// <summary>Clamped requests.</summary>
    public long Clamped => Volatile.Read(ref _clamped);

    /// <summary>Refused requests (including attempts to change the country).</summary>
    public long Refused => Volatile.Read(ref _refused);

    /// <summary>Decisions with <paramref name="reason"/>.</summary>
    public long ByReason(GateReason reason) => Volatile.Read(ref _byReason[(int)reason]);

    internal void Count(GateVerdict verdict, GateReason reason)
    {
        switch (verdict)
        {
            case GateVerdict.Accept: _accepted++; break;
            case GateVerdict.Clamp: _clamped++; break;
            default: _refused++; break;
        }
        _byReason[(int)reason]++;
    }
}
