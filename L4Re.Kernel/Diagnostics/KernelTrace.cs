using System.Globalization;
using System.Text;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel;

/// <summary>The kinds of events the kernel trace records.</summary>
public enum TraceKind
{
    /// <summary>A thread was dispatched (A = 1 for a direct switch on the caller's time slice).</summary>
    Dispatch,
    /// <summary>A thread was preempted (A = 1 when its time slice ran out).</summary>
    Preempt,
    /// <summary>A message went from a thread to a thread (A = tag, B = label).</summary>
    IpcTransfer,
    /// <summary>An IRQ message was delivered (A = label).</summary>
    IrqDelivered,
    /// <summary>An IRQ fired (A = pin).</summary>
    IrqHit,
    /// <summary>An IPC timed out.</summary>
    Timeout,
    /// <summary>A page fault was sent to the pager (A = address, B = 1 for a write).</summary>
    PageFault,
    /// <summary>An exception was sent to the exception handler.</summary>
    Exception,
    /// <summary>A memory or I/O page was mapped (A = page, B = rights).</summary>
    Map,
    /// <summary>A memory or I/O page was granted (A = page, B = rights).</summary>
    Grant,
    /// <summary>A capability was mapped (A = slot, B = attributes).</summary>
    MapCap,
    /// <summary>Memory or I/O was unmapped (A = page, B = rights).</summary>
    Unmap,
    /// <summary>A capability was unmapped (A = slot, B = rights).</summary>
    UnmapCap,
    /// <summary>A factory created an object (A = slot, B = kind).</summary>
    ObjectCreated,
    /// <summary>An object was deleted.</summary>
    ObjectDeleted,
    /// <summary>A thread stopped.</summary>
    ThreadDead,
}

/// <summary>One recorded kernel event.</summary>
/// <param name="Time">Virtual time in nanoseconds.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Thread">The acting thread, if any.</param>
/// <param name="Object">The object acted on, if any.</param>
/// <param name="A">First event argument.</param>
/// <param name="B">Second event argument.</param>
public readonly record struct TraceEvent(long Time, TraceKind Kind, string? Thread, string? Object, ulong A, ulong B)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var t = (Time / 1000.0).ToString("F1", CultureInfo.InvariantCulture).PadLeft(9);
        return Kind switch
        {
            TraceKind.Dispatch => $"{t}us  run      {Thread}{(A != 0 ? " (direct switch)" : "")}",
            TraceKind.Preempt => $"{t}us  preempt  {Thread}{(A != 0 ? " (slice end)" : "")}",
            TraceKind.IpcTransfer => $"{t}us  ipc      {Thread} -> {Object} {new Abi.MsgTag(A)} label=0x{B:x}",
            TraceKind.IrqDelivered => $"{t}us  irq      -> {Thread} label=0x{A:x}",
            TraceKind.IrqHit => $"{t}us  irq-hit  {Object} pin {A}",
            TraceKind.Timeout => $"{t}us  timeout  {Thread} waiting on {Object ?? "-"}",
            TraceKind.PageFault => $"{t}us  pf       {Thread} at 0x{A:x}{(B != 0 ? " (write)" : "")} -> {Object}",
            TraceKind.Exception => $"{t}us  exc      {Thread} ({A:x})",
            TraceKind.Map => $"{t}us  map      {Object} page 0x{A << 12:x} {(Abi.MemRights)B}",
            TraceKind.Grant => $"{t}us  grant    {Object} 0x{A:x}",
            TraceKind.MapCap => $"{t}us  map-cap  {Object} slot {A} {(Abi.CapRights)(B & 0xf)}",
            TraceKind.Unmap => $"{t}us  unmap    {Object} page 0x{A << 12:x} -{(Abi.MemRights)B}",
            TraceKind.UnmapCap => $"{t}us  unmap-cap {Object} slot {A}",
            TraceKind.ObjectCreated => $"{t}us  create   {Object} into slot {A} by {Thread}",
            TraceKind.ObjectDeleted => $"{t}us  delete   {Object}",
            TraceKind.ThreadDead => $"{t}us  stop     {Thread}",
            _ => $"{t}us  {Kind} {Thread} {Object} {A:x} {B:x}",
        };
    }
}

/// <summary>
/// The kernel's event trace: when enabled (<see cref="KernelOptions.Trace"/>) every dispatch, IPC,
/// fault, mapping and object life event is recorded with its virtual time. Same options and inputs give
/// the same trace.
/// </summary>
public sealed class KernelTrace
{
    private readonly Microkernel _kernel;
    private readonly List<TraceEvent> _events = [];

    internal KernelTrace(Microkernel kernel, bool enabled)
    {
        _kernel = kernel;
        Enabled = enabled;
    }

    /// <summary>True while events are recorded.</summary>
    public bool Enabled
    {
        get => On;
        set => On = value;
    }

    internal bool On;

    /// <summary>The recorded events.</summary>
    public IReadOnlyList<TraceEvent> Events => _events;

    /// <summary>Raised for each recorded event.</summary>
    public event Action<TraceEvent>? Recorded;

    internal void Record(TraceKind kind, L4Thread? thread, KernelObject? obj, ulong a, ulong b)
    {
        if (!On)
            return;
        var e = new TraceEvent(_kernel.Now, kind, thread?.ToString(), obj?.ToString(), a, b);
        _events.Add(e);
        Recorded?.Invoke(e);
    }

    /// <summary>Forgets the recorded events.</summary>
    public void Clear() => _events.Clear();

    /// <summary>The trace as text, one event per line.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var e in _events)
            sb.AppendLine(e.ToString());
        return sb.ToString();
    }
}
