using BenchmarkDotNet.Attributes;
using L4Re.Kernel.Abi;

namespace L4Re.Benchmarks;

/// <summary>Encoding and decoding of the kernel's ABI words (message tags, capability selectors).</summary>
[MemoryDiagnoser]
public class AbiBenchmarks
{
    private ulong _raw = 0xfff0_8042;

    /// <summary>Decode a message tag's fields.</summary>
    [Benchmark]
    public uint DecodeMsgTag()
    {
        var tag = new MsgTag(_raw);
        return tag.Words + tag.Items + tag.Flags + (uint)tag.Label;
    }

    /// <summary>Encode a message tag.</summary>
    [Benchmark]
    public ulong EncodeMsgTag() => new MsgTag((long)ProtocolLabel.Factory, 3, 1, MsgTag.Schedule).Raw;
}
