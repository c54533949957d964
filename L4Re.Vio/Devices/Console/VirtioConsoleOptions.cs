namespace L4Re.Vio.Devices.Console;

/// <summary>Options of a <see cref="VirtioConsoleDevice"/>.</summary>
public sealed record VirtioConsoleOptions
{
    /// <summary>Columns and rows to report (VIRTIO_CONSOLE_F_SIZE); null offers no size.</summary>
    public (ushort Columns, ushort Rows)? Size { get; init; }

    /// <summary>The maximum queue size (a power of two).</summary>
    public int QueueSize { get; init; } = 128;

    /// <summary>Offer VIRTIO_F_EVENT_IDX.</summary>
    public bool EventIdx { get; init; } = true;

    /// <summary>Options of the two pipes (null: defaults, continuations on the thread pool).</summary>
    public System.IO.Pipelines.PipeOptions? PipeOptions { get; init; }
}
