using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Native;

namespace L4Re.Io.Server;

/// <summary>
/// io's server loop body (io's registry server, <c>L4Re::Util::Registry_server</c>): every vbus gate and
/// every vbus ICU gate is bound to io's one server thread with its own label; a message is handed to the
/// endpoint the label names. A capability a client sent with the request arrives in io's receive slot and
/// is dropped after the request unless the endpoint kept it.
/// </summary>
internal sealed class VbusServer : IIpcServer
{
    private readonly Dictionary<ulong, VbusEndpoint> _byLabel = [];

    public IoTask? Io { get; set; }

    public void Add(VbusEndpoint endpoint)
    {
        _byLabel[endpoint.Label] = endpoint;
        _byLabel[endpoint.IcuLabel] = endpoint;
    }

    public void Remove(VbusEndpoint endpoint)
    {
        _byLabel.Remove(endpoint.Label);
        _byLabel.Remove(endpoint.IcuLabel);
    }

    /// <inheritdoc />
    public bool Dispatch(in IpcRequest request, Utcb utcb, out MsgTag reply)
    {
        var label = request.Label & ~3UL;
        var answer = true;
        if (!_byLabel.TryGetValue(label, out var endpoint))
            reply = MsgTag.FromError(L4Error.NoDev); // a message that was on its way when the gate went away
        else if (label == endpoint.Label)
            reply = endpoint.Dispatch(request.Tag, utcb);
        else
            answer = endpoint.Icu.Dispatch(request.Tag, utcb, out reply);
        Io?.DropReceived();
        return answer;
    }
}
