namespace L4Re.Vio.Tests.Support;

/// <summary>A deterministic clock: every reading is <see cref="Step"/> later than the previous one.</summary>
internal sealed class SteppingClock(DateTimeOffset start, TimeSpan step) : TimeProvider
{
    private DateTimeOffset _now = start;

    public TimeSpan Step { get; } = step;

    public override DateTimeOffset GetUtcNow()
    {
        var t = _now;
        _now += Step;
        return t;
    }
}
