namespace L4Re.Kernel.Abi;

/// <summary>
/// One IPC timeout (Fiasco's <c>L4_timeout</c>) (<c>l4_timeout_s</c>, 16 bits). Relative: 10-bit mantissa m and 5-bit exponent e,
/// t = m·2^e µs. Bit 15 marks an absolute timeout whose 64-bit deadline (µs) is stored in the buffer
/// register named by bits 0–5. <see cref="Never"/> = 0 and <see cref="Zero"/> = 0x0400.
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/__timeout.h; fiasco src/abi/l4_types.cpp (<c>L4_timeout</c>).</remarks>
public readonly record struct L4Timeout(ushort Raw)
{
    /// <summary>Bit 15: absolute timeout.</summary>
    public const ushort AbsoluteBit = 0x8000;
    /// <summary>The largest relative timeout in µs that <see cref="FromMicroseconds"/> encodes (<c>L4_TIMEOUT_US_MAX</c>).</summary>
    public const ulong MaxMicroseconds = (1UL << 41) - 1;

    /// <summary><c>L4_IPC_TIMEOUT_NEVER</c>: wait forever.</summary>
    public static L4Timeout Never => new(0);

    /// <summary><c>L4_IPC_TIMEOUT_0</c>: do not wait.</summary>
    public static L4Timeout Zero => new(0x0400);

    /// <summary><c>l4_timeout_rel(man, exp)</c>: man·2^exp µs (fields masked to 10 and 5 bits).</summary>
    public static L4Timeout Relative(uint mantissa, uint exponent) => new((ushort)((mantissa & 0x3ff) | ((exponent << 10) & 0x7c00)));

    /// <summary>An absolute timeout whose deadline is in buffer register <paramref name="bufferRegister"/> (0–63).</summary>
    public static L4Timeout Absolute(int bufferRegister) => new((ushort)(AbsoluteBit | (bufferRegister & 0x3f)));

    /// <summary>
    /// <c>l4_timeout_from_us(us)</c>: the shortest relative timeout not shorter than <paramref name="microseconds"/>;
    /// 0 gives <see cref="Zero"/>, values above <see cref="MaxMicroseconds"/> give <see cref="Never"/>.
    /// </summary>
    public static L4Timeout FromMicroseconds(ulong microseconds)
    {
        if (microseconds == 0)
            return Zero;
        if (microseconds > MaxMicroseconds)
            return Never;
        var e = Math.Max(0, 63 - System.Numerics.BitOperations.LeadingZeroCount(microseconds) - 9);
        var m = (microseconds + ((1UL << e) - 1)) >> e;
        if (m > 0x3ff)
        {
            if (e < 0x1f)
            {
                e++;
                m >>= 1;
            }
            else
            {
                m = 0x3ff;
            }
        }
        return new((ushort)((e << 10) | (int)m));
    }

    /// <summary>True for <see cref="Never"/>.</summary>
    public bool IsNever => Raw == 0;

    /// <summary>True for exactly <see cref="Zero"/> (Fiasco's <c>is_zero</c>).</summary>
    public bool IsZero => Raw == 0x0400;

    /// <summary>True for an absolute timeout.</summary>
    public bool IsAbsolute => (Raw & AbsoluteBit) != 0;

    /// <summary>The mantissa (bits 0–9).</summary>
    public uint Mantissa => Raw & 0x3ffu;

    /// <summary>The exponent (bits 10–14).</summary>
    public uint Exponent => (uint)(Raw >> 10) & 0x1f;

    /// <summary>The buffer register holding an absolute deadline (bits 0–5).</summary>
    public int BufferRegister => Raw & 0x3f;

    /// <summary>The length of a relative timeout in µs (<c>l4_timeout_rel_get</c>); <see cref="ulong.MaxValue"/> for <see cref="Never"/>.</summary>
    public ulong RelativeMicroseconds => Raw == 0 ? ulong.MaxValue : (ulong)Mantissa << (int)Exponent;

    /// <summary>
    /// The deadline in µs as the kernel computes it (<c>L4_timeout::microsecs</c>): relative timeouts
    /// add to <paramref name="nowMicroseconds"/> (a zero mantissa gives 0, i.e. already expired);
    /// absolute ones read the buffer register (clamped to the last one, as Fiasco does).
    /// </summary>
    /// <param name="nowMicroseconds">The current time of the kernel clock.</param>
    /// <param name="bufferRegisters">The UTCB buffer registers of the invoking thread.</param>
    /// <returns>The deadline; meaningless for <see cref="Never"/>.</returns>
    public ulong Deadline(ulong nowMicroseconds, ReadOnlySpan<ulong> bufferRegisters)
    {
        if (IsAbsolute)
            return bufferRegisters.IsEmpty ? 0 : bufferRegisters[Math.Min(BufferRegister, bufferRegisters.Length - 1)];
        return Mantissa == 0 ? 0 : nowMicroseconds + ((ulong)Mantissa << (int)Exponent);
    }

    /// <inheritdoc />
    public override string ToString() => IsNever ? "never" : IsZero ? "0" : IsAbsolute ? $"abs(br{BufferRegister})" : $"{RelativeMicroseconds}us";
}
