namespace L4Re.Regulatory.Rules;

/// <summary>
/// IEEE 802.11 channel numbers ↔ centre frequencies, as Linux's <c>ieee80211_channel_to_freq_khz()</c> and
/// <c>ieee80211_freq_khz_to_channel()</c> compute them (net/wireless/util.c), and the 20 MHz channel plans.
/// </summary>
public static class ChannelNumbering
{
    /// <summary>The centre frequency in kHz of <paramref name="channel"/> in <paramref name="band"/>, or 0 if there is none.</summary>
    public static uint ChannelToFrequencyKhz(int channel, Band band)
    {
        if (channel <= 0)
            return 0;
        switch (band)
        {
            case Band.Band2GHz:
                if (channel == 14)
                    return 2_484_000;
                if (channel < 14)
                    return (uint)(2407 + (channel * 5)) * 1000;
                break;
            case Band.Band5GHz:
                if (channel is >= 182 and <= 196)
                    return (uint)(4000 + (channel * 5)) * 1000;
                if (channel <= 200)
                    return (uint)(5000 + (channel * 5)) * 1000;
                break;
            case Band.Band6GHz:
                if (channel == 2)
                    return 5_935_000;
                if (channel <= 233)
                    return (uint)(5950 + (channel * 5)) * 1000;
                break;
            case Band.Band60GHz:
                if (channel < 7)
                    return (uint)(56160 + (channel * 2160)) * 1000;
                break;
            case Band.S1GHz:
                return 902_000 + ((uint)channel * 500);
        }
        return 0;
    }

    /// <summary>The channel number of a centre frequency, or 0 if none.</summary>
    public static int FrequencyToChannel(uint frequencyKhz)
    {
        if (frequencyKhz < 1_000_000)
            return frequencyKhz >= 902_000 ? (int)((frequencyKhz - 902_000) / 500) : 0;
        var mhz = (int)(frequencyKhz / 1000);
        if (mhz == 2484) return 14;
        if (mhz < 2484) return mhz > 2407 ? (mhz - 2407) / 5 : 0;
        if (mhz is >= 4910 and <= 4980) return (mhz - 4000) / 5;
        if (mhz < 5925) return (mhz - 5000) / 5;
        if (mhz == 5935) return 2;
        if (mhz <= 45000) return (mhz - 5950) / 5;
        if (mhz is >= 58320 and <= 70200) return (mhz - 56160) / 2160;
        return 0;
    }

    /// <summary>The band a centre frequency belongs to.</summary>
    public static Band BandOf(uint frequencyKhz) => frequencyKhz switch
    {
        < 1_000_000 => Band.S1GHz,
        < 2_500_000 => Band.Band2GHz,
        < 5_925_000 => Band.Band5GHz,
        <= 45_000_000 => Band.Band6GHz,
        _ => Band.Band60GHz,
    };

    /// <summary>The 20 MHz channels of a typical radio in <paramref name="band"/>: 2.4 GHz 1–14; 5 GHz 36–64, 100–144, 149–177; 6 GHz 1–233.</summary>
    public static IEnumerable<uint> StandardChannels(Band band)
    {
        switch (band)
        {
            case Band.Band2GHz:
                for (var c = 1; c <= 14; c++)
                    yield return ChannelToFrequencyKhz(c, band);
                break;
            case Band.Band5GHz:
                for (var c = 36; c <= 64; c += 4)
                    yield return ChannelToFrequencyKhz(c, band);
                for (var c = 100; c <= 144; c += 4)
                    yield return ChannelToFrequencyKhz(c, band);
                for (var c = 149; c <= 177; c += 4)
                    yield return ChannelToFrequencyKhz(c, band);
                break;
            case Band.Band6GHz:
                for (var c = 1; c <= 233; c += 4)
                    yield return ChannelToFrequencyKhz(c, band);
                break;
        }
    }
}
