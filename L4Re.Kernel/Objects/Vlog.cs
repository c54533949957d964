using System.Text;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using Microsoft.Extensions.Logging;

namespace L4Re.Kernel.Objects;

/// <summary>
/// The kernel log (boot capability <see cref="BootCap.Log"/>, Fiasco's <c>Vlog</c>, the Vcon protocol
/// on <see cref="ProtocolLabel.Log"/>): <see cref="VlogOp.Write"/> prints (no reply), <see cref="VlogOp.Read"/>
/// returns buffered input, attributes control CR/NL translation. Output is kept in <see cref="Output"/>
/// and logged line by line.
/// </summary>
public sealed partial class Vlog : KernelObject
{
    /// <summary><c>L4_VCON_ONLCR</c>.</summary>
    public const ulong OnlCr = 0x4;
    /// <summary><c>L4_VCON_OCRNL</c>.</summary>
    public const ulong OcrNl = 0x8;
    /// <summary><c>L4_VCON_ONLRET</c>.</summary>
    public const ulong OnlRet = 0x20;
    /// <summary><c>L4_VCON_INLCR</c>.</summary>
    public const ulong InlCr = 0x40;
    /// <summary><c>L4_VCON_IGNCR</c>.</summary>
    public const ulong IgnCr = 0x80;
    /// <summary><c>L4_VCON_ICRNL</c>.</summary>
    public const ulong IcrNl = 0x100;
    /// <summary><c>L4_VCON_ECHO</c>.</summary>
    public const ulong Echo = 0x8;

    private readonly StringBuilder _output = new();
    private readonly StringBuilder _line = new();
    private readonly Queue<byte> _input = new();
    private readonly ILogger _log;

    internal Vlog(Microkernel kernel, ILogger log)
        : base(kernel, null, 0)
    {
        _log = log;
    }

    /// <inheritdoc />
    public override ProtocolLabel Protocol => ProtocolLabel.Log;

    /// <inheritdoc />
    public override string KindName => "Vlog";

    /// <summary>Input flags (<c>L4_VCON_INLCR</c>...).</summary>
    public ulong InputFlags { get; private set; } = IcrNl;

    /// <summary>Output flags (<c>L4_VCON_ONLCR</c>...).</summary>
    public ulong OutputFlags { get; private set; } = OnlCr;

    /// <summary>Local flags (<c>L4_VCON_ECHO</c>).</summary>
    public ulong LocalFlags { get; private set; } = Echo;

    /// <summary>Everything written so far.</summary>
    public string Output => _output.ToString();

    /// <summary>Raised for every complete line written (without the newline).</summary>
    public event Action<string>? LineWritten;

    /// <summary>Queues input characters for <see cref="VlogOp.Read"/> (host API: the serial console).</summary>
    public void Input(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in Encoding.UTF8.GetBytes(text))
            _input.Enqueue(c);
    }

    /// <summary>Writes text as a program's write operation would (host API).</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            var c = (char)b;
            if ((OutputFlags & OcrNl) != 0 && c == '\r')
                c = '\n';
            if ((OutputFlags & OnlRet) != 0 && c == '\r')
                continue;
            _output.Append(c);
            if (c == '\n')
            {
                var line = _line.ToString();
                _line.Clear();
                LogLine(_log, line);
                LineWritten?.Invoke(line);
            }
            else if (c != '\r')
            {
                _line.Append(c);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "vlog: {Line}")]
    private static partial void LogLine(ILogger logger, string line);

    private protected override MsgTag KInvoke(L4Thread ct, CapRights rights, byte attr, MsgTag tag, Utcb input, Utcb output)
    {
        if (tag.Protocol == ProtocolLabel.Irq)
            return IcuProtocol.Invoke(ct, tag, input, output, 1, null);
        if (tag.Protocol != ProtocolLabel.Log)
            return MsgTag.FromError(L4Error.BadProto);
        if (tag.Words < 1)
            return MsgTag.FromError(L4Error.MsgTooShort);
        switch ((VlogOp)(input.Mrs[0] & 0xffff))
        {
            case VlogOp.Write:
            {
                var len = input.Mrs[1];
                if (tag.Words >= 2 && len <= (Utcb.MaxWords - 2) * 8)
                {
                    Span<byte> bytes = stackalloc byte[(int)len];
                    for (var i = 0; i < (int)len; i++)
                        bytes[i] = (byte)(input.Mrs[2 + i / 8] >> (8 * (i % 8)));
                    Write(bytes);
                }
                return MsgTag.NoReply;
            }
            case VlogOp.SetAttr:
                InputFlags = input.Mrs[1];
                OutputFlags = input.Mrs[2] | OnlCr;
                LocalFlags = input.Mrs[3];
                return MsgTag.Result(0);
            case VlogOp.GetAttr:
                if (ReferenceEquals(output, Kernel.DummyUtcb))
                    return MsgTag.Result(0);
                output.Mrs[1] = InputFlags;
                output.Mrs[2] = OutputFlags;
                output.Mrs[3] = LocalFlags;
                return MsgTag.Result(0, 4);
            case VlogOp.Read:
            {
                if (ReferenceEquals(output, Kernel.DummyUtcb))
                    return MsgTag.Result(0);
                if ((rights & CapRights.W) == 0)
                    return MsgTag.FromError(L4Error.Perm);
                var max = (int)Math.Min(input.Mrs[0] >> 16, (Utcb.MaxWords - 1) * 8);
                var n = 0;
                Span<byte> buf = stackalloc byte[(Utcb.MaxWords - 1) * 8];
                while (n < max && _input.TryDequeue(out var b))
                {
                    if ((InputFlags & InlCr) != 0 && b == '\n')
                        b = (byte)'\r';
                    if ((InputFlags & IgnCr) != 0 && b == '\r')
                        continue;
                    if ((InputFlags & IcrNl) != 0 && b == '\r')
                        b = (byte)'\n';
                    buf[n++] = b;
                }
                for (var w = 0; w < (n + 7) / 8; w++)
                {
                    ulong v = 0;
                    for (var k = 0; k < 8 && w * 8 + k < n; k++)
                        v |= (ulong)buf[w * 8 + k] << (8 * k);
                    output.Mrs[1 + w] = v;
                }
                output.Mrs[0] = (uint)n | (_input.Count == 0 ? 1UL << 31 : 0);
                return MsgTag.Result(0);
            }
            default:
                return MsgTag.FromError(L4Error.NoSys);
        }
    }
}
