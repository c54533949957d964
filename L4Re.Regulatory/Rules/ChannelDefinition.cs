namespace L4Re.Regulatory.Rules;

/// <summary>
/// A channel definition (<c>struct cfg80211_chan_def</c> without 80+80): the control (primary) channel, the
/// centre of the whole channel and its width, 20/40/80/160 MHz.
/// </summary>
public readonly record struct ChannelDefinition
{
    private ChannelDefinition(uint controlKhz, uint centerKhz, int widthMhz)
    {
        ControlKhz = controlKhz;
        CenterKhz = centerKhz;
        WidthMhz = widthMhz;
    }

    /// <summary>Centre frequency of the control channel in kHz.</summary>
    public uint ControlKhz { get; }

    /// <summary>Centre frequency of the whole channel in kHz (<c>center_freq1</c>).</summary>
    public uint CenterKhz { get; }

    /// <summary>Width in MHz: 20, 40, 80 or 160.</summary>
    public int WidthMhz { get; }

    /// <summary>Number of 20 MHz subchannels.</summary>
    public int SubchannelCount => WidthMhz / 20;

    /// <summary>Centre of the <paramref name="index"/>-th 20 MHz subchannel, lowest first.</summary>
    public uint SubchannelKhz(int index) => (uint)(CenterKhz - (WidthMhz * 500) + 10_000 + (index * 20_000));

    /// <summary>Lowest frequency covered, in kHz.</summary>
    public uint LowKhz => (uint)(CenterKhz - (WidthMhz * 500));

    /// <summary>Highest frequency covered, in kHz.</summary>
    public uint HighKhz => (uint)(CenterKhz + (WidthMhz * 500));

    /// <summary>
    /// Builds a channel definition. With <paramref name="centerKhz"/> 0 the centre follows the usual plan:
    /// 5 GHz blocks aligned from 5170 MHz (from 5735 MHz for channels 149 and up), 6 GHz blocks aligned
    /// from 5945 MHz, and at 2.4 GHz HT40+ for channels 1–7, HT40− above. The result must satisfy
    /// <c>cfg80211_chandef_valid()</c>: the control channel is one of the 20 MHz subchannels, and channel 14
    /// is 20 MHz only.
    /// </summary>
    public static bool TryCreate(uint controlKhz, int widthMhz, uint centerKhz, out ChannelDefinition definition)
    {
        definition = default;
        if (widthMhz is not (20 or 40 or 80 or 160) || controlKhz < 1_000_000 || controlKhz % 1000 != 0)
            return false;
        if (centerKhz == 0)
            centerKhz = DeriveCenter(controlKhz, widthMhz);
        if (centerKhz == 0)
            return false;
        // cfg80211_chandef_valid(): the control channel must be one of the subchannels.
        long offset = (long)controlKhz - centerKhz;
        var half = (widthMhz / 2) - 10;
        if ((offset + (half * 1000L)) % 20_000 != 0 || Math.Abs(offset) > half * 1000L)
            return false;
        if (widthMhz != 20 && controlKhz == 2_484_000)
            return false; // channel 14 is 802.11b only
        definition = new ChannelDefinition(controlKhz, centerKhz, widthMhz);
        return true;
    }

    private static uint DeriveCenter(uint controlKhz, int widthMhz)
    {
        if (widthMhz == 20)
            return controlKhz;
        var mhz = controlKhz / 1000;
        switch (ChannelNumbering.BandOf(controlKhz))
        {
            case Band.Band2GHz:
                if (widthMhz != 40)
                    return 0;
                return ChannelNumbering.FrequencyToChannel(controlKhz) <= 7 ? controlKhz + 10_000 : controlKhz - 10_000;
            case Band.Band5GHz:
                var base5 = mhz >= 5735 ? 5735u : 5170u;
                if (mhz < base5 + 10)
                    return 0;
                return (base5 + ((uint)widthMhz * ((mhz - base5) / (uint)widthMhz)) + ((uint)widthMhz / 2)) * 1000;
            case Band.Band6GHz:
                if (mhz < 5955)
                    return 0;
                return (5945 + ((uint)widthMhz * ((mhz - 5945) / (uint)widthMhz)) + ((uint)widthMhz / 2)) * 1000;
            default:
                return 0;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{ControlKhz / 1000.0:0.###} MHz, {WidthMhz} MHz wide, centre {CenterKhz / 1000.0:0.###} MHz";
}
