using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Gate;

/// <summary>
/// What the trusted side knows about the radio and fixes for the gate: its 20 MHz channels, widest channel,
/// TX power range, installed antenna gain, supported modes and installation environment. The untrusted side
/// cannot change any of it.
/// </summary>
public sealed class InterfaceCapabilities
{
    /// <summary>Creates capabilities.</summary>
    public InterfaceCapabilities(IEnumerable<uint> channelsKhz, int maxWidthMhz, int maxTxPowerMbm, int antennaGainMbi,
        OperatingModes modes = OperatingModes.All, InstallationEnvironment environment = InstallationEnvironment.Unknown, int minTxPowerMbm = 0)
    {
        ArgumentNullException.ThrowIfNull(channelsKhz);
        if (maxWidthMhz is not (20 or 40 or 80 or 160))
            throw new ArgumentOutOfRangeException(nameof(maxWidthMhz), maxWidthMhz, "20, 40, 80 or 160.");
        if (minTxPowerMbm > maxTxPowerMbm)
            throw new ArgumentOutOfRangeException(nameof(minTxPowerMbm), minTxPowerMbm, "Above the maximum TX power.");
        ChannelsKhz = channelsKhz.Distinct().Order().ToArray();
        MaxWidthMhz = maxWidthMhz;
        MaxTxPowerMbm = maxTxPowerMbm;
        MinTxPowerMbm = minTxPowerMbm;
        AntennaGainMbi = antennaGainMbi;
        Modes = modes;
        Environment = environment;
    }

    /// <summary>The radio's 20 MHz channel centres in kHz.</summary>
    public IReadOnlyList<uint> ChannelsKhz { get; }

    /// <summary>Widest channel the radio supports (MHz).</summary>
    public int MaxWidthMhz { get; }

    /// <summary>Largest conducted TX power in mBm (the driver's <c>orig_mpwr</c>).</summary>
    public int MaxTxPowerMbm { get; }

    /// <summary>Smallest conducted TX power in mBm the radio can set.</summary>
    public int MinTxPowerMbm { get; }

    /// <summary>Gain of the installed antenna in mBi; the gate never assumes less.</summary>
    public int AntennaGainMbi { get; }

    /// <summary>Supported modes.</summary>
    public OperatingModes Modes { get; }

    /// <summary>Where the radio is installed.</summary>
    public InstallationEnvironment Environment { get; }

    /// <summary>
    /// A dual-band 802.11ac radio like the router's: 2.4 GHz channels 1–13, 5 GHz 36–64, 100–144, 149–165,
    /// up to 160 MHz, 0–23 dBm conducted, 3 dBi antennas, every mode.
    /// </summary>
    public static InterfaceCapabilities DualBandRouter() => new(
        ChannelNumbering.StandardChannels(Band.Band2GHz).Where(c => c != 2_484_000)
            .Concat(ChannelNumbering.StandardChannels(Band.Band5GHz).Where(c => c <= 5_825_000)),
        maxWidthMhz: 160, maxTxPowerMbm: 2300, antennaGainMbi: 300);

    /// <summary>
    /// Every standard 20 MHz channel of 2.4, 5 and 6 GHz, any width up to 160 MHz, no TX power limit of its
    /// own (100 dBm), 0 dBi: decisions then show the regulatory rules alone (used by <c>l4re regdb check</c>).
    /// </summary>
    public static InterfaceCapabilities Unrestricted() => new(
        ChannelNumbering.StandardChannels(Band.Band2GHz)
            .Concat(ChannelNumbering.StandardChannels(Band.Band5GHz))
            .Concat(ChannelNumbering.StandardChannels(Band.Band6GHz)),
        maxWidthMhz: 160, maxTxPowerMbm: 10_000, antennaGainMbi: 0, minTxPowerMbm: -10_000);
}
