namespace L4Re.Vio.Switch;

/// <summary>
/// Per-port counters (l4vio_switch's <c>Port_statistics</c>, lib/include/stats.h), from the switch's point of
/// view: <c>tx</c> counts frames the switch sent out of the port (to its client), <c>rx</c> frames the switch
/// received from the port's client and delivered somewhere. Bytes are Ethernet frame bytes as delivered.
/// </summary>
public sealed class PortStatistics
{
    /// <summary>Frames delivered to the port.</summary>
    public long TxNum { get; internal set; }

    /// <summary>Frames that could not be delivered to the port, and frames from the port dropped by VLAN rules.</summary>
    public long TxDropped { get; internal set; }

    /// <summary>Bytes delivered to the port.</summary>
    public long TxBytes { get; internal set; }

    /// <summary>Deliveries of frames the port sent (a flooded frame counts once per destination).</summary>
    public long RxNum { get; internal set; }

    /// <summary>Frames from the port the switch could not even parse (host ports: bad framing).</summary>
    public long RxDropped { get; internal set; }

    /// <summary>Bytes of the deliveries counted in <see cref="RxNum"/>.</summary>
    public long RxBytes { get; internal set; }

    /// <inheritdoc />
    public override string ToString() =>
        $"tx {TxNum} ({TxBytes} B, {TxDropped} dropped) rx {RxNum} ({RxBytes} B, {RxDropped} dropped)";
}
