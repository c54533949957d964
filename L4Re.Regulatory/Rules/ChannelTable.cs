namespace L4Re.Regulatory.Rules;

/// <summary>
/// A radio's 20 MHz channels with the rules cfg80211 applies to each for one regulatory domain — what
/// <c>handle_band()</c> leaves in a wiphy's channel array. Immutable; lookups by frequency are O(1) for
/// channels on the 5 MHz raster of 2.4–7.125 GHz and allocation-free.
/// </summary>
public sealed class ChannelTable
{
    private const uint RasterBaseKhz = 2_400_000;
    private const uint RasterStepKhz = 5_000;
    private const int RasterSize = ((7_125_000 - 2_400_000) / 5_000) + 1;

    private readonly uint[] _centers;
    private readonly ChannelRules[] _rules;
    private readonly short[] _raster;

    /// <summary>Evaluates every channel in <paramref name="centersKhz"/> (20 MHz channel centres) for <paramref name="domain"/>.</summary>
    public ChannelTable(RegDomain domain, IEnumerable<uint> centersKhz)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(centersKhz);
        Domain = domain;
        _centers = centersKhz.Distinct().Order().ToArray();
        if (_centers.Length > short.MaxValue)
            throw new ArgumentException("Too many channels.", nameof(centersKhz));
        _rules = _centers.Select(c => Cfg80211.EvaluateChannel(domain, c)).ToArray();
        _raster = new short[RasterSize];
        Array.Fill(_raster, (short)-1);
        for (var i = 0; i < _centers.Length; i++)
            if (RasterIndex(_centers[i]) is >= 0 and var r)
                _raster[r] = (short)i;
    }

    /// <summary>The domain the channels were evaluated for.</summary>
    public RegDomain Domain { get; }

    /// <summary>Number of channels.</summary>
    public int Count => _centers.Length;

    /// <summary>Centre of channel <paramref name="index"/> in kHz.</summary>
    public uint CenterKhz(int index) => _centers[index];

    /// <summary>The rules of channel <paramref name="index"/>.</summary>
    public ref readonly ChannelRules this[int index] => ref _rules[index];

    /// <summary>The index of the channel centred at <paramref name="centerKhz"/>, or -1.</summary>
    public int IndexOf(uint centerKhz)
    {
        var r = RasterIndex(centerKhz);
        if (r >= 0)
            return _raster[r];
        var i = Array.BinarySearch(_centers, centerKhz);
        return i >= 0 ? i : -1;
    }

    private static int RasterIndex(uint khz)
    {
        var d = khz - RasterBaseKhz;
        if (khz < RasterBaseKhz || d % RasterStepKhz != 0)
            return -1;
        var r = d / RasterStepKhz;
        return r < RasterSize ? (int)r : -1;
    }
}
