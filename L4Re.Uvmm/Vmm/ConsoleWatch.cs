using L4Re.Uvmm.Devices;

namespace L4Re.Uvmm.Vmm;

/// <summary>What a <see cref="ConsoleWatch"/> saw on a console.</summary>
internal enum ConsoleEvent
{
    /// <summary>Nothing yet.</summary>
    None,
    /// <summary>The awaited text.</summary>
    TextSeen,
    /// <summary>Linux's panic line (<see cref="BootRunner.PanicText"/>).</summary>
    Panic,
}

/// <summary>
/// Watches a console transcript for an awaited text and for a kernel panic; scans only the text that arrived
/// since the last check (with an overlap so that a match split across checks is found). The first event sticks.
/// </summary>
/// <param name="until">The awaited text, or null.</param>
internal sealed class ConsoleWatch(string? until)
{
    private int _scanned;
    private ConsoleEvent _seen;

    /// <summary>The event seen so far.</summary>
    public ConsoleEvent Seen => _seen;

    /// <summary>Scans the new part of <paramref name="console"/>.</summary>
    /// <param name="console">The transcript.</param>
    /// <returns>The event seen so far.</returns>
    public ConsoleEvent Check(ConsoleTranscript console)
    {
        if (_seen != ConsoleEvent.None || console.Length == _scanned)
            return _seen;
        var overlap = Math.Max(until?.Length ?? 0, BootRunner.PanicText.Length);
        var text = console.TextFrom(_scanned - overlap);
        _scanned = console.Length;
        if (until is not null && text.Contains(until, StringComparison.Ordinal))
            _seen = ConsoleEvent.TextSeen;
        else if (text.Contains(BootRunner.PanicText, StringComparison.Ordinal))
            _seen = ConsoleEvent.Panic;
        return _seen;
    }
}
