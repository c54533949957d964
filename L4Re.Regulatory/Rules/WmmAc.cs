namespace L4Re.Regulatory.Rules;

/// <summary>
/// WMM parameters of one access category (<c>struct ieee80211_wmm_ac</c>; stored in regulatory.db as
/// <c>struct fwdb_wmm_ac</c>: <c>ecw = log2(cw_min+1) &lt;&lt; 4 | log2(cw_max+1)</c>, <c>aifsn</c>, <c>be16 cot</c>).
/// </summary>
public readonly record struct WmmAc
{
    /// <summary>Creates the parameters, checking what the kernel's <c>valid_wmm()</c> checks.</summary>
    /// <param name="cwMin">Minimum contention window, 2^k − 1 with k ≤ 15.</param>
    /// <param name="cwMax">Maximum contention window, 2^k − 1 with k ≤ 15, greater than <paramref name="cwMin"/>.</param>
    /// <param name="aifsn">Arbitration inter-frame space number, at least 1.</param>
    /// <param name="cotMilliseconds">Channel occupancy time limit in milliseconds.</param>
    public WmmAc(ushort cwMin, ushort cwMax, byte aifsn, ushort cotMilliseconds)
    {
        if (!IsContentionWindow(cwMin))
            throw new ArgumentOutOfRangeException(nameof(cwMin), cwMin, "cw_min must be 2^k - 1 with k <= 15.");
        if (!IsContentionWindow(cwMax))
            throw new ArgumentOutOfRangeException(nameof(cwMax), cwMax, "cw_max must be 2^k - 1 with k <= 15.");
        // net/wireless/reg.c valid_wmm(): cw_min >= cw_max and aifsn < 1 are invalid.
        if (cwMin >= cwMax)
            throw new ArgumentOutOfRangeException(nameof(cwMin), cwMin, "cw_min must be smaller than cw_max.");
        if (aifsn < 1)
            throw new ArgumentOutOfRangeException(nameof(aifsn), aifsn, "aifsn must be at least 1.");
        CwMin = cwMin;
        CwMax = cwMax;
        Aifsn = aifsn;
        CotMilliseconds = cotMilliseconds;
    }

    /// <summary>Minimum contention window.</summary>
    public ushort CwMin { get; }

    /// <summary>Maximum contention window.</summary>
    public ushort CwMax { get; }

    /// <summary>Arbitration inter-frame space number.</summary>
    public byte Aifsn { get; }

    /// <summary>Channel occupancy time limit in milliseconds (the kernel multiplies by 1000 to get µs).</summary>
    public ushort CotMilliseconds { get; }

    /// <summary>The exponent form of the contention windows as stored in regulatory.db.</summary>
    public byte Ecw => (byte)((Log2(CwMin + 1) << 4) | Log2(CwMax + 1));

    /// <summary>Whether <paramref name="cw"/> has the form 2^k − 1 with 0 ≤ k ≤ 15.</summary>
    public static bool IsContentionWindow(int cw) => cw >= 0 && cw < (1 << 15) && ((cw + 1) & cw) == 0;

    /// <summary>The contention window for an exponent nibble (the kernel's <c>ecw2cw</c>).</summary>
    public static ushort EcwToCw(int ecw) => (ushort)((1 << (ecw & 0xf)) - 1);

    private static int Log2(int powerOfTwo) => System.Numerics.BitOperations.Log2((uint)powerOfTwo);
}
