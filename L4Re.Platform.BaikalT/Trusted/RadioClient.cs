using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;
using L4Re.Regulatory.Dfs;
using L4Re.Regulatory.Gate;

namespace L4Re.Platform.BaikalT.Trusted;

/// <summary>
/// The client side of the radio protocol for a host-driven thread (the VMM's thread, tests, tools): each call is an IPC
/// call through the capability <see cref="Gate"/> of the thread's task. Results are the protocol's; an IPC failure or a
/// negative reply label comes back as <see cref="L4Error"/> (IPC errors as <see cref="IpcFailed"/>).
/// </summary>
/// <param name="thread">A host-driven thread.</param>
/// <param name="gate">Its capability to the trusted component's gate.</param>
public sealed class RadioClient(L4Thread thread, CapSel gate)
{
    /// <summary>The error reported when the IPC itself failed (the gate is gone, a timeout).</summary>
    public const L4Error IpcFailed = (L4Error)2000;

    /// <summary>The thread.</summary>
    public L4Thread Thread { get; } = thread ?? throw new ArgumentNullException(nameof(thread));

    /// <summary>The gate capability.</summary>
    public CapSel Gate { get; } = gate;

    /// <summary>The last IPC result.</summary>
    public Kernel.Ipc.IpcResult LastResult { get; private set; }

    /// <summary>Sends a raw message (for tests of malformed input) and returns the reply tag.</summary>
    public MsgTag Raw(MsgTag tag)
    {
        LastResult = Thread.Call(Gate, tag);
        return LastResult.Tag;
    }

    /// <summary>The radio's fixed facts.</summary>
    public L4Error Info(out RadioInfo info)
    {
        info = default;
        var err = Call(RadioProtocol.Simple(Thread.Utcb, RadioOp.GetInfo));
        return err != L4Error.Ok ? err : RadioProtocol.TryReadInfo(Thread.Utcb, LastResult.Tag, out info) ? L4Error.Ok : L4Error.MsgTooShort;
    }

    /// <summary>The radio's status.</summary>
    public L4Error Status(out RadioStatus status)
    {
        status = default;
        var err = Call(RadioProtocol.Simple(Thread.Utcb, RadioOp.GetStatus));
        return err != L4Error.Ok ? err : RadioProtocol.TryReadStatus(Thread.Utcb, LastResult.Tag, out status) ? L4Error.Ok : L4Error.MsgTooShort;
    }

    /// <summary>Asks for a radio configuration.</summary>
    public L4Error Configure(in RadioRequest request, out RadioDecision decision)
    {
        decision = default;
        var err = Call(RadioProtocol.SetConfig(Thread.Utcb, request));
        return err != L4Error.Ok ? err : RadioProtocol.TryReadDecision(Thread.Utcb, LastResult.Tag, out decision) ? L4Error.Ok : L4Error.MsgTooShort;
    }

    /// <summary>Asks for a channel availability check.</summary>
    public L4Error StartCac(uint controlKhz, int widthMhz, uint centerKhz, out CacStartResult result, out long endsAtNs)
    {
        result = default;
        endsAtNs = 0;
        var err = Call(RadioProtocol.StartCac(Thread.Utcb, controlKhz, widthMhz, centerKhz));
        return err != L4Error.Ok ? err : RadioProtocol.TryReadCac(Thread.Utcb, LastResult.Tag, out result, out endsAtNs) ? L4Error.Ok : L4Error.MsgTooShort;
    }

    /// <summary>Asks to change the country (always refused).</summary>
    public L4Error SetCountry(string alpha2, out RadioDecision decision)
    {
        decision = default;
        var err = Call(RadioProtocol.SetCountry(Thread.Utcb, alpha2));
        return err != L4Error.Ok ? err : RadioProtocol.TryReadDecision(Thread.Utcb, LastResult.Tag, out decision) ? L4Error.Ok : L4Error.MsgTooShort;
    }

    /// <summary>Switches the radio off.</summary>
    public L4Error Off() => Call(RadioProtocol.Simple(Thread.Utcb, RadioOp.RadioOff));

    private L4Error Call(MsgTag tag)
    {
        LastResult = Thread.Call(Gate, tag);
        if (LastResult.IsBlocked || LastResult.HasError)
            return IpcFailed;
        return LastResult.Tag.ResultError;
    }
}
